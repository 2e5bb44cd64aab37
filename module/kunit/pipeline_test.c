// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pipeline reader.  What a hook is, from its function and
 * module names (kernels 5.10 to 7.2); and the hooks of a real hook point
 * of init_net read back: hooks this test registers, one of them passing
 * for nfhook's (ours), the order, the cursor and its shift detection.
 */

#include <kunit/test.h>
#include <linux/kallsyms.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>
#include <net/net_namespace.h>

#include "../netns.h"
#include "../pipeline.h"

struct kind_case {
	const char *name;
	const char *function;
	const char *module;
	u8 kind;
};

static const struct kind_case kind_cases[] = {
	{ "defrag v4 module", "ipv4_conntrack_defrag", "nf_defrag_ipv4",
	  NFHOOK_PIPE_KIND_DEFRAG },
	{ "defrag v6 built in", "ipv6_defrag", "vmlinux",
	  NFHOOK_PIPE_KIND_DEFRAG },
	{ "conntrack in", "ipv4_conntrack_in", "nf_conntrack",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "conntrack local v6", "ipv6_conntrack_local", "vmlinux",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "confirm 6.1", "ipv4_confirm", "nf_conntrack",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "confirm 7.2 built in", "nf_confirm", "vmlinux",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "conntrack by module only", "some_helper", "nf_conntrack",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "nat pre", "nf_nat_ipv4_pre_routing", "nf_nat",
	  NFHOOK_PIPE_KIND_NAT },
	{ "nat v6 built in", "nf_nat_ipv6_out", "vmlinux",
	  NFHOOK_PIPE_KIND_NAT },
	{ "nftables inet", "nft_do_chain_inet", "nf_tables",
	  NFHOOK_PIPE_KIND_NFTABLES },
	{ "nftables route chain built in", "nf_route_table_hook4", "vmlinux",
	  NFHOOK_PIPE_KIND_NFTABLES },
	{ "iptables 6.1", "ipt_do_table", "ip_tables",
	  NFHOOK_PIPE_KIND_IPTABLES },
	{ "iptables mangle", "iptable_mangle_hook", "iptable_mangle",
	  NFHOOK_PIPE_KIND_IPTABLES },
	{ "ip6tables 5.10", "ip6table_filter_hook", "ip6table_filter",
	  NFHOOK_PIPE_KIND_IPTABLES },
	{ "bpf link", "nf_hook_run_bpf", "vmlinux", NFHOOK_PIPE_KIND_BPF },
	{ "flowtable", "nf_flow_offload_ip_hook", "nf_flow_table_inet",
	  NFHOOK_PIPE_KIND_FLOWTABLE },
	{ "apparmor", "apparmor_ip_postroute", "vmlinux",
	  NFHOOK_PIPE_KIND_LSM },
	{ "selinux", "selinux_ip_forward", "vmlinux", NFHOOK_PIPE_KIND_LSM },
	{ "bridge netfilter", "br_nf_pre_routing", "br_netfilter",
	  NFHOOK_PIPE_KIND_UNKNOWN },
	{ "ipvs", "ip_vs_in_hook", "ip_vs", NFHOOK_PIPE_KIND_UNKNOWN },
	{ "nothing known", "", "", NFHOOK_PIPE_KIND_UNKNOWN },
	/* nfhook is told by its private data, never by its name. */
	{ "nfhook by name", "nfhook_hook_fn", "nfhook",
	  NFHOOK_PIPE_KIND_UNKNOWN },
	/* Prefixes do not reach into other names. */
	{ "near miss defrag", "ipv4_conntrack_defragx", "vmlinux",
	  NFHOOK_PIPE_KIND_CONNTRACK },
	{ "near miss module", "f", "nf_conntrack_netlink",
	  NFHOOK_PIPE_KIND_UNKNOWN },
};

static void kind_case_desc(const struct kind_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kind, kind_cases, kind_case_desc);

static void nfhook_test_pipe_kind(struct kunit *test)
{
	const struct kind_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->kind,
			nfhook_pipe_kind_of(c->function, c->module));
}

#define PIPE_TEST_PRIO	-12345
#define PIPE_TEST_MAX	32

static unsigned int nfhook_pipe_test_hook(void *priv, struct sk_buff *skb,
					  const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static struct nf_hook_ops pipe_test_ops = {
	.hook = nfhook_pipe_test_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_FORWARD,
	.priority = PIPE_TEST_PRIO,
};

/* Passes for one of nfhook's: its private data is init_net's hook. */
static struct nf_hook_ops pipe_test_ours_ops = {
	.hook = nfhook_pipe_test_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_FORWARD,
	.priority = PIPE_TEST_PRIO + 1,
};

/* The hooks of init_net's IPv4 forward point, from @pos on. */
static unsigned int read_forward(struct kunit *test,
				 struct nfhook_pipe_entry *e, u32 pos,
				 unsigned long prev, bool *moved,
				 unsigned int max)
{
	struct nfhook_pipe_point pt = {
		.family = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
	};

	return nfhook_pipe_read(&init_net, &pt, pos, prev, moved, e, max);
}

static void nfhook_test_pipe_read(struct kunit *test)
{
	struct nfhook_pipe_entry *e, *one;
	unsigned int n, i, mine = 0, ours = 0;
	bool moved, with_ours;

	e = kunit_kcalloc(test, PIPE_TEST_MAX, sizeof(*e), GFP_KERNEL);
	one = kunit_kzalloc(test, sizeof(*one), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_NOT_NULL(test, one);
	/*
	 * Some kernels (6.1) run a module's suites before its init: without
	 * nfhook's per-namespace state, nothing can be ours then.
	 */
	with_ours = nfhook_net_id != 0;
	KUNIT_ASSERT_EQ(test, 0,
			nf_register_net_hook(&init_net, &pipe_test_ops));
	if (with_ours) {
		pipe_test_ours_ops.priv =
			&nfhook_pernet(&init_net)->hooks[0][NF_INET_FORWARD];
		KUNIT_ASSERT_EQ(test, 0,
				nf_register_net_hook(&init_net,
						     &pipe_test_ours_ops));
	}

	n = read_forward(test, e, 0, 0, &moved, PIPE_TEST_MAX);
	KUNIT_EXPECT_FALSE(test, moved);
	if (n < 1) {
		if (with_ours)
			nf_unregister_net_hook(&init_net, &pipe_test_ours_ops);
		nf_unregister_net_hook(&init_net, &pipe_test_ops);
		KUNIT_FAIL(test, "the hook registered is not read back");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i) {
			KUNIT_EXPECT_GT(test, e[i].position, e[i - 1].position);
			KUNIT_EXPECT_LE(test, e[i - 1].priority, e[i].priority);
		}
		if (e[i].ours)
			KUNIT_EXPECT_EQ(test, NFHOOK_PIPE_KIND_NFHOOK, e[i].kind);
		if (e[i].priority == PIPE_TEST_PRIO + 1) {
			ours++;
			KUNIT_EXPECT_TRUE(test, e[i].ours);
		}
		if (e[i].priority != PIPE_TEST_PRIO)
			continue;
		mine++;
		KUNIT_EXPECT_FALSE(test, e[i].ours);
		KUNIT_EXPECT_EQ(test, NFHOOK_PIPE_KIND_UNKNOWN, e[i].kind);
		KUNIT_EXPECT_EQ(test, (unsigned long)&pipe_test_ops,
				e[i].cookie);
		if (IS_ENABLED(CONFIG_KALLSYMS)) {
			KUNIT_EXPECT_STREQ(test, "nfhook_pipe_test_hook",
					   e[i].function);
			KUNIT_EXPECT_STREQ(test, "nfhook", e[i].module);
		} else {
			KUNIT_EXPECT_STREQ(test, "", e[i].function);
		}
	}
	KUNIT_EXPECT_EQ(test, 1U, mine);
	KUNIT_EXPECT_EQ(test, with_ours ? 1U : 0U, ours);

	/* One at a time, resuming where the last read stopped. */
	KUNIT_EXPECT_EQ(test, 1U, read_forward(test, one, 0, 0, &moved, 1));
	KUNIT_EXPECT_EQ(test, e[0].cookie, one->cookie);
	if (n >= 2) {
		KUNIT_EXPECT_EQ(test, 1U,
				read_forward(test, one, e[0].position + 1,
					     e[0].cookie, &moved, 1));
		KUNIT_EXPECT_FALSE(test, moved);
		KUNIT_EXPECT_EQ(test, e[1].cookie, one->cookie);
		/* Another hook before the cursor: positions shifted. */
		read_forward(test, one, e[0].position + 1, e[0].cookie + 1,
			     &moved, 1);
		KUNIT_EXPECT_TRUE(test, moved);
	}
	/* Past the end: nothing, and a cursor beyond it is a shift. */
	KUNIT_EXPECT_EQ(test, 0U, read_forward(test, one, e[n - 1].position + 1,
					       e[n - 1].cookie, &moved, 1));
	KUNIT_EXPECT_FALSE(test, moved);
	read_forward(test, one, e[n - 1].position + 2, 0, &moved, 1);
	KUNIT_EXPECT_TRUE(test, moved);

	if (with_ours)
		nf_unregister_net_hook(&init_net, &pipe_test_ours_ops);
	nf_unregister_net_hook(&init_net, &pipe_test_ops);
	n = read_forward(test, e, 0, 0, &moved, PIPE_TEST_MAX);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_NE(test, PIPE_TEST_PRIO, e[i].priority);
		KUNIT_EXPECT_NE(test, PIPE_TEST_PRIO + 1, e[i].priority);
	}
}

static struct kunit_case nfhook_pipe_test_cases[] = {
	KUNIT_CASE_PARAM(nfhook_test_pipe_kind, kind_gen_params),
	KUNIT_CASE(nfhook_test_pipe_read),
	{}
};

static struct kunit_suite nfhook_pipe_test_suite = {
	.name = "nfhook_pipeline",
	.test_cases = nfhook_pipe_test_cases,
};

kunit_test_suites(&nfhook_pipe_test_suite);
