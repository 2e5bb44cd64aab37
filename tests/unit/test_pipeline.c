// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl pipeline`: PIPELINE_GET messages parsed (alone and through
 * the dump path), then the listing sorted and printed as text and JSON.
 */
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/nfhook.h>

#include "msg.h"
#include "names.h"
#include "netlink.h"
#include "output.h"
#include "pipeline.h"
#include "util.h"
#include "unit.h"

#define PORTID	4343
#define SEQ	91

/* What one PIPE nest carries; NULL strings are left out. */
struct pipe_in {
	uint32_t family, hook, position, kind, table_family;
	int32_t priority;
	const char *ifname, *function, *module, *table, *chain;
	bool ours;
};

static struct nlmsghdr *put_pipe(char *at, const struct pipe_in *p,
				 uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct nlattr *nest;

	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	g->cmd = NFHOOK_CMD_PIPELINE_GET;
	g->version = NFHOOK_GENL_VERSION;
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_PIPE);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_FAMILY, p->family);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_HOOK, p->hook);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_POSITION, p->position);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_PRIORITY, (uint32_t)p->priority);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_KIND, p->kind);
	if (p->ifname) {
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_IFINDEX, 2);
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_IFNAME, p->ifname);
	}
	if (p->function)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_FUNCTION, p->function);
	if (p->module)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_MODULE, p->module);
	if (p->table)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_TABLE, p->table);
	if (p->chain)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_CHAIN, p->chain);
	if (p->table_family)
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_TABLE_FAMILY,
				 p->table_family);
	if (p->ours)
		mnl_attr_put(nlh, NFHOOK_PIPE_A_OURS, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* A namespace with conntrack, NAT, nftables, iptables and nfhook. */
static const struct pipe_in sample[] = {
	/* As the kernel sends them: IPv4 first, then netdev; any order here. */
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 1, NFHOOK_PIPE_KIND_NFHOOK, 0, 0,
	  NULL, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 0, NFHOOK_PIPE_KIND_NFTABLES,
	  NFPROTO_INET, 0, NULL, "nft_do_chain_inet", "nf_tables", "t",
	  "in", false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 2, NFHOOK_PIPE_KIND_IPTABLES, 0, 0,
	  NULL, "ipt_do_table", "ip_tables", "filter", NULL, false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 3, NFHOOK_PIPE_KIND_NAT, 0, 100,
	  NULL, "nf_nat_ipv4_local_in", "nf_nat", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 4, NFHOOK_PIPE_KIND_CONNTRACK, 0,
	  INT32_MAX, NULL, "ipv4_confirm", "nf_conntrack", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_PRE_ROUTING, 0, NFHOOK_PIPE_KIND_DEFRAG, 0,
	  -400, NULL, "ipv4_conntrack_defrag", "nf_defrag_ipv4", NULL, NULL,
	  false },
	{ NFPROTO_IPV4, NF_INET_PRE_ROUTING, 1, NFHOOK_PIPE_KIND_UNKNOWN, 0,
	  -150, NULL, NULL, NULL, NULL, NULL, false },
	{ NFPROTO_NETDEV, NFH_NETDEV_INGRESS, 0, NFHOOK_PIPE_KIND_NFTABLES,
	  NFPROTO_NETDEV, -500, "veth0", "nft_do_chain_netdev", "vmlinux",
	  "nd", "ing", false },
	{ NFPROTO_IPV6, NF_INET_FORWARD, 0, NFHOOK_PIPE_KIND_NFHOOK, 0, 0,
	  NULL, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
};

struct collect {
	struct nfh_pipeline *pl;
	int bad;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	struct nfh_pipe_entry *e = nfh_pipeline_add(c->pl);

	if (!e || nfh_parse_pipe_msg(nlh, e)) {
		c->bad++;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The sample through nfh_nl_dump_feed(), one datagram, into @pl. */
static int sample_dump(struct nfh_pipeline *pl, bool *intr)
{
	static char buf[16384] __attribute__((aligned(4)));
	struct collect c = { pl, 0 };
	struct nlmsghdr *nlh;
	struct nfh_nl nl;
	size_t len = 0, i;
	int *err;

	nfh_pipeline_clear(pl);
	for (i = 0; i < NFH_ARRAY_SIZE(sample); i++) {
		nlh = put_pipe(buf + len, &sample[i], SEQ);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	nlh = mnl_nlmsg_put_header(buf + len);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = 0;
	len += NLMSG_ALIGN(nlh->nlmsg_len);

	memset(&nl, 0, sizeof(nl));
	nl.portid = PORTID;
	*intr = false;
	if (nfh_nl_dump_feed(&nl, SEQ, buf, len, collect_cb, &c, intr) != 0)
		return -1;
	return c.bad ? -1 : 0;
}

static char *print_of(struct nfh_pipeline *pl, bool json, bool numeric,
		      const struct nfh_pipe_filter *f)
{
	struct nfh_out o;
	FILE *fp;
	char *out;

	unit_capture_begin(&fp);
	nfh_out_init(&o, fp, json, numeric);
	nfh_pipeline_print(&o, pl, f);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(fp, &out);
	return out;
}

static void parse_cases(void)
{
	char buf[4096] __attribute__((aligned(4)));
	struct nfh_pipe_entry e;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct pipe_in p = sample[1];
	char longname[700];

	unit_case("pipeline msg: every attribute read back");
	nlh = put_pipe(buf, &p, SEQ);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), 0);
	CHECK_INT(e.family, NFPROTO_IPV4);
	CHECK_INT(e.hook, NF_INET_LOCAL_IN);
	CHECK_INT(e.position, 0);
	CHECK_INT(e.priority, 0);
	CHECK_INT(e.kind, NFHOOK_PIPE_KIND_NFTABLES);
	CHECK_INT(e.table_family, NFPROTO_INET);
	CHECK_STR(e.function, "nft_do_chain_inet");
	CHECK_STR(e.module, "nf_tables");
	CHECK_STR(e.table, "t");
	CHECK_STR(e.chain, "in");
	CHECK(!e.ours);

	unit_case("pipeline msg: negative priority, ours, netdev device");
	p = sample[7];
	p.priority = INT32_MIN;
	p.ours = true;
	nlh = put_pipe(buf, &p, SEQ);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), 0);
	CHECK_INT(e.priority, INT32_MIN);
	CHECK(e.ours);
	CHECK_INT(e.family, NFPROTO_NETDEV);
	CHECK_INT(e.ifindex, 2);
	CHECK_STR(e.ifname, "veth0");

	unit_case("pipeline msg: no kallsyms: function and module stay empty");
	p = sample[6];
	nlh = put_pipe(buf, &p, SEQ);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), 0);
	CHECK_STR(e.function, "");
	CHECK_STR(e.module, "");

	unit_case("pipeline msg: unknown attributes are skipped");
	nlh = put_pipe(buf, &sample[0], SEQ);
	mnl_attr_put_u32(nlh, 200, 7);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), 0);
	CHECK(e.ours);

	unit_case("pipeline msg: without the PIPE nest, refused");
	nlh = put_pipe(buf, &sample[0], SEQ);
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), -1);

	unit_case("pipeline msg: a required attribute missing, refused");
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_PIPE);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_FAMILY, NFPROTO_IPV4);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_HOOK, 0);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_POSITION, 0);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_PRIORITY, 0);
	mnl_attr_nest_end(nlh, nest);		/* no KIND */
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), -1);

	unit_case("pipeline msg: a u16 where a u32 belongs, refused");
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_PIPE);
	mnl_attr_put_u16(nlh, NFHOOK_PIPE_A_FAMILY, NFPROTO_IPV4);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), -1);

	unit_case("pipeline msg: a name longer than nfhookctl keeps, refused");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	p = sample[0];
	p.function = longname;
	nlh = put_pipe(buf, &p, SEQ);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), -1);

	unit_case("pipeline msg: a string without its NUL, refused");
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_PIPE);
	mnl_attr_put(nlh, NFHOOK_PIPE_A_MODULE, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_pipe_msg(nlh, &e), -1);
}

static const char want_text[] =
	"received:  ingress -> prerouting -> routing -+-> input -> local socket\n"
	"                                             `-> forward -> postrouting -> egress\n"
	"sent:      local socket -> output -> routing -> postrouting -> egress\n"
	"\n"
	"netdev ingress veth0: packets as the device receives them; next: prerouting\n"
	"  PRIO  NAME  WHAT                          FUNCTION             MODULE\n"
	"  -500        nftables chain netdev nd ing  nft_do_chain_netdev  vmlinux\n"
	"\n"
	"ipv4 prerouting: every packet received; next: routing, then input or forward\n"
	"  PRIO  NAME    WHAT             FUNCTION               MODULE\n"
	"  -400          defragmentation  ipv4_conntrack_defrag  nf_defrag_ipv4\n"
	"  -150  mangle  -                ?                      ?\n"
	"\n"
	"ipv4 input: packets for this host; next: the local socket\n"
	"         PRIO  NAME    WHAT                      FUNCTION              MODULE\n"
	"            0  filter  nftables chain inet t in  nft_do_chain_inet     nf_tables\n"
	"*           0  filter  nfhook                    nfhook_hook_fn        nfhook\n"
	"            0  filter  iptables table filter     ipt_do_table          ip_tables\n"
	"          100  srcnat  NAT                       nf_nat_ipv4_local_in  nf_nat\n"
	"   2147483647  last    conntrack                 ipv4_confirm          nf_conntrack\n"
	"\n"
	"ipv4 forward: packets routed through this host; next: postrouting\n"
	"  (no hooks)\n"
	"\n"
	"ipv4 output: packets sent by this host; next: routing, then postrouting\n"
	"  (no hooks)\n"
	"\n"
	"ipv4 postrouting: every packet leaving; next: the device (egress)\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 prerouting: every packet received; next: routing, then input or forward\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 input: packets for this host; next: the local socket\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 forward: packets routed through this host; next: postrouting\n"
	"   PRIO  NAME    WHAT    FUNCTION        MODULE\n"
	"*     0  filter  nfhook  nfhook_hook_fn  nfhook\n"
	"\n"
	"ipv6 output: packets sent by this host; next: routing, then postrouting\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 postrouting: every packet leaving; next: the device (egress)\n"
	"  (no hooks)\n"
	"\n"
	"In each hook point, hooks run from top to bottom (lowest priority first).\n"
	"* nfhook's own hook in this namespace\n";

static const char want_json[] =
	"[{\"family\":\"ipv4\",\"hook\":\"input\",\"position\":0,\"priority\":0,"
	"\"kind\":\"nftables\",\"function\":\"nft_do_chain_inet\",\"module\":\"nf_tables\","
	"\"table\":\"t\",\"chain\":\"in\",\"table_family\":\"inet\",\"ours\":false},"
	"{\"family\":\"ipv4\",\"hook\":\"input\",\"position\":1,\"priority\":0,"
	"\"kind\":\"nfhook\",\"function\":\"nfhook_hook_fn\",\"module\":\"nfhook\","
	"\"ours\":true},"
	"{\"family\":\"ipv4\",\"hook\":\"input\",\"position\":2,\"priority\":0,"
	"\"kind\":\"iptables\",\"function\":\"ipt_do_table\",\"module\":\"ip_tables\","
	"\"table\":\"filter\",\"ours\":false},"
	"{\"family\":\"ipv4\",\"hook\":\"input\",\"position\":3,\"priority\":100,"
	"\"kind\":\"nat\",\"function\":\"nf_nat_ipv4_local_in\",\"module\":\"nf_nat\","
	"\"ours\":false},"
	"{\"family\":\"ipv4\",\"hook\":\"input\",\"position\":4,\"priority\":2147483647,"
	"\"kind\":\"conntrack\",\"function\":\"ipv4_confirm\",\"module\":\"nf_conntrack\","
	"\"ours\":false}]\n";

static const char want_numeric[] =
	"ipv4 input: packets for this host; next: the local socket\n"
	"         PRIO  WHAT                      FUNCTION              MODULE\n"
	"            0  nftables chain inet t in  nft_do_chain_inet     nf_tables\n"
	"*           0  nfhook                    nfhook_hook_fn        nfhook\n"
	"            0  iptables table filter     ipt_do_table          ip_tables\n"
	"          100  NAT                       nf_nat_ipv4_local_in  nf_nat\n"
	"   2147483647  conntrack                 ipv4_confirm          nf_conntrack\n"
	"\n"
	"In each hook point, hooks run from top to bottom (lowest priority first).\n"
	"* nfhook's own hook in this namespace\n";

static const char want_netdev[] =
	"netdev ingress veth0: packets as the device receives them; next: prerouting\n"
	"  PRIO  NAME  WHAT                          FUNCTION             MODULE\n"
	"  -500        nftables chain netdev nd ing  nft_do_chain_netdev  vmlinux\n"
	"\n"
	"In each hook point, hooks run from top to bottom (lowest priority first).\n";

static const char want_netdev_json[] =
	"[{\"family\":\"netdev\",\"hook\":\"ingress\",\"device\":\"veth0\",\"position\":0,"
	"\"priority\":-500,\"kind\":\"nftables\",\"function\":\"nft_do_chain_netdev\","
	"\"module\":\"vmlinux\",\"table\":\"nd\",\"chain\":\"ing\","
	"\"table_family\":\"netdev\",\"ours\":false}]\n";

static void output_cases(void)
{
	struct nfh_pipe_filter all = { 0 };
	struct nfh_pipe_filter v4in = { .has_family = true,
					.family = NFPROTO_IPV4,
					.has_hook = true,
					.hook = NF_INET_LOCAL_IN };
	struct nfh_pipe_filter nd = { .has_family = true,
				      .family = NFPROTO_NETDEV };
	struct nfh_pipeline pl = { 0 };
	bool intr;
	char *out;

	unit_case("pipeline dump: every message collected, none flagged");
	CHECK_INT(sample_dump(&pl, &intr), 0);
	CHECK_INT(pl.n, NFH_ARRAY_SIZE(sample));
	CHECK(!intr);

	unit_case("pipeline text: packet order, kernel order, nfhook marked");
	out = print_of(&pl, false, false, &all);
	CHECK_STR(out, want_text);
	free(out);

	unit_case("pipeline json: one hook point, stable keys");
	CHECK_INT(sample_dump(&pl, &intr), 0);
	out = print_of(&pl, true, false, &v4in);
	CHECK_STR(out, want_json);
	free(out);

	unit_case("pipeline text numeric: one hook point, no NAME column");
	CHECK_INT(sample_dump(&pl, &intr), 0);
	out = print_of(&pl, false, true, &v4in);
	CHECK_STR(out, want_numeric);
	free(out);

	unit_case("pipeline netdev: the device's block only");
	CHECK_INT(sample_dump(&pl, &intr), 0);
	out = print_of(&pl, false, false, &nd);
	CHECK_STR(out, want_netdev);
	free(out);

	unit_case("pipeline netdev json: device and table family named");
	CHECK_INT(sample_dump(&pl, &intr), 0);
	out = print_of(&pl, true, false, &nd);
	CHECK_STR(out, want_netdev_json);
	free(out);

	unit_case("pipeline: nothing at all still draws every hook point");
	nfh_pipeline_clear(&pl);
	out = print_of(&pl, false, false, &all);
	CHECK(strstr(out, "ipv6 postrouting: every packet leaving; next: the device (egress)\n  (no hooks)\n"));
	CHECK(!strstr(out, "* nfhook"));
	free(out);
	out = print_of(&pl, true, false, &all);
	CHECK_STR(out, "[]\n");
	free(out);

	nfh_pipeline_free(&pl);
}

void suite_pipeline(void)
{
	parse_cases();
	output_cases();
}
