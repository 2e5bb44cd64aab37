// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl trace`: TRACE_EVENT messages built as the kernel sends them,
 * parsed (and refused when malformed), then printed as one line, in the
 * detailed form and as JSON, the hooks passed named from a sample pipeline.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "msg.h"
#include "output.h"
#include "pipeline.h"
#include "trace.h"
#include "util.h"
#include "unit.h"

#define CONFIRM	INT32_MAX

/* A hook of the sample pipeline, or who stopped a packet (PIPE nest). */
struct hook_in {
	uint32_t family, hook, position, kind, table_family;
	int32_t priority;
	const char *function, *module, *table, *chain;
	bool ours;
};

/*
 * The namespace the packets cross, in the kernel's order: conntrack, NAT,
 * an nftables chain at filter+10 in input, nfhook at 0, and a trace probe
 * (which is never a hook a packet "passed").
 */
static const struct hook_in hooks[] = {
	{ NFPROTO_IPV4, NF_INET_PRE_ROUTING, 0, NFHOOK_PIPE_KIND_DEFRAG, 0,
	  -400, "ipv4_conntrack_defrag", "nf_defrag_ipv4", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_PRE_ROUTING, 1, NFHOOK_PIPE_KIND_CONNTRACK, 0,
	  -200, "ipv4_conntrack_in", "nf_conntrack", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_PRE_ROUTING, 2, NFHOOK_PIPE_KIND_NAT, 0,
	  -100, "nf_nat_ipv4_pre_routing", "nf_nat", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 0, NFHOOK_PIPE_KIND_TRACE, 0,
	  INT32_MIN, "nfhook_trace_probe_fn", "nfhook", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 1, NFHOOK_PIPE_KIND_NFHOOK, 0,
	  0, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 2, NFHOOK_PIPE_KIND_NFTABLES,
	  NFPROTO_INET, 10, "nft_do_chain_inet", "nf_tables", "filter",
	  "input", false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_IN, 3, NFHOOK_PIPE_KIND_CONNTRACK, 0,
	  CONFIRM, "ipv4_confirm", "nf_conntrack", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_FORWARD, 0, NFHOOK_PIPE_KIND_NFHOOK, 0,
	  0, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
	{ NFPROTO_IPV4, NF_INET_POST_ROUTING, 0, NFHOOK_PIPE_KIND_NAT, 0,
	  100, "nf_nat_ipv4_out", "nf_nat", NULL, NULL, false },
	{ NFPROTO_IPV4, NF_INET_POST_ROUTING, 1, NFHOOK_PIPE_KIND_CONNTRACK, 0,
	  CONFIRM, "ipv4_confirm", "nf_conntrack", NULL, NULL, false },
	{ NFPROTO_IPV6, NF_INET_LOCAL_IN, 0, NFHOOK_PIPE_KIND_NFHOOK, 0,
	  -50, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
	/* iptables and nftables at one priority: a drop by either looks alike. */
	{ NFPROTO_IPV4, NF_INET_LOCAL_OUT, 0, NFHOOK_PIPE_KIND_IPTABLES, 0,
	  0, "ipt_do_table", "ip_tables", "filter", NULL, false },
	{ NFPROTO_IPV4, NF_INET_LOCAL_OUT, 1, NFHOOK_PIPE_KIND_NFTABLES,
	  NFPROTO_INET, 0, "nft_do_chain_inet", "nf_tables", "filter",
	  "output", false },
	/* Two hooks at one priority: the kernel cannot tell them apart. */
	{ NFPROTO_IPV6, NF_INET_FORWARD, 0, NFHOOK_PIPE_KIND_NFTABLES,
	  NFPROTO_INET, 0, "nft_do_chain_inet", "nf_tables", "filter",
	  "forward", false },
	{ NFPROTO_IPV6, NF_INET_FORWARD, 1, NFHOOK_PIPE_KIND_NFHOOK, 0,
	  0, "nfhook_hook_fn", "nfhook", NULL, NULL, true },
};

/* Who stopped packets in the cases below (the kernel's PIPE nest). */
static const struct hook_in nft_input = {
	NFPROTO_IPV4, NF_INET_LOCAL_IN, 2, NFHOOK_PIPE_KIND_NFTABLES,
	NFPROTO_INET, 10, "nft_do_chain_inet", "nf_tables", "filter", "input",
	false };
static const struct hook_in nfhook_input = {
	NFPROTO_IPV4, NF_INET_LOCAL_IN, 1, NFHOOK_PIPE_KIND_NFHOOK, 0, 0,
	"nfhook_hook_fn", "nfhook", NULL, NULL, true };
static const struct hook_in nft_forward6 = {
	NFPROTO_IPV6, NF_INET_FORWARD, 1, NFHOOK_PIPE_KIND_NFTABLES,
	NFPROTO_INET, 0, "nft_do_chain_inet", "nf_tables", "filter",
	"forward", false };
static const struct hook_in ipt_output = {
	NFPROTO_IPV4, NF_INET_LOCAL_OUT, 0, NFHOOK_PIPE_KIND_IPTABLES, 0, 0,
	"ipt_do_table", "ip_tables", "filter", NULL, false };
static const struct hook_in nat_pre = {
	NFPROTO_IPV4, NF_INET_PRE_ROUTING, 2, NFHOOK_PIPE_KIND_NAT, 0, -100,
	"nf_nat_ipv4_pre_routing", "nf_nat", NULL, NULL, false };

/* One TRACE_STEP nest; NULL strings and a NULL pipe are left out. */
struct step_in {
	uint32_t hook;
	uint64_t time;
	uint32_t result;
	bool has_prio;
	int32_t prio;
	uint32_t verdict;		/* 0: left out */
	const struct hook_in *pipe;
	const char *reason, *iif, *oif;
};

/* The packet of an event (TRACE_PACKET), as the kernel reads it. */
struct pkt_in {
	uint32_t family;
	const char *saddr, *daddr;
	uint8_t proto;
	bool ports, icmp, tcp;
	uint16_t sport, dport;
	uint8_t icmp_type, icmp_code, tcp_flags;
	uint32_t len, ct_state;
};

static const struct pkt_in ssh_syn = {
	NFPROTO_IPV4, "10.0.1.2", "10.0.2.1", IPPROTO_TCP, true, false, true,
	40000, 22, 0, 0, 0x02, 60, NFHOOK_CT_STATE_NEW };
static const struct pkt_in dns_query = {
	NFPROTO_IPV4, "10.0.1.2", "192.0.2.53", IPPROTO_UDP, true, false,
	false, 5353, 53, 0, 0, 0, 71, NFHOOK_CT_STATE_NEW };
static const struct pkt_in ping6 = {
	NFPROTO_IPV6, "2001:db8:1::2", "2001:db8:2::1", IPPROTO_ICMPV6, false,
	true, false, 0, 0, 128, 0, 0, 104, NFHOOK_CT_STATE_NEW };

static void put_pipe_nest(struct nlmsghdr *nlh, uint16_t type,
			  const struct hook_in *h)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_FAMILY, h->family);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_HOOK, h->hook);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_POSITION, h->position);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_PRIORITY, (uint32_t)h->priority);
	mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_KIND, h->kind);
	mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_FUNCTION, h->function);
	mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_MODULE, h->module);
	if (h->table)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_TABLE, h->table);
	if (h->chain)
		mnl_attr_put_strz(nlh, NFHOOK_PIPE_A_CHAIN, h->chain);
	if (h->table_family)
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_TABLE_FAMILY,
				 h->table_family);
	if (h->ours)
		mnl_attr_put(nlh, NFHOOK_PIPE_A_OURS, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
}

static void put_packet(struct nlmsghdr *nlh, const struct pkt_in *p)
{
	bool v6 = p->family == NFPROTO_IPV6;
	uint8_t a[16];
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_PACKET);

	mnl_attr_put_u32(nlh, NFHOOK_RULE_A_FAMILY, p->family);
	inet_pton(v6 ? AF_INET6 : AF_INET, p->saddr, a);
	mnl_attr_put(nlh, v6 ? NFHOOK_RULE_A_SRC_IPV6 : NFHOOK_RULE_A_SRC_IPV4,
		     v6 ? 16 : 4, a);
	mnl_attr_put_u8(nlh, NFHOOK_RULE_A_SRC_PREFIX, v6 ? 128 : 32);
	inet_pton(v6 ? AF_INET6 : AF_INET, p->daddr, a);
	mnl_attr_put(nlh, v6 ? NFHOOK_RULE_A_DST_IPV6 : NFHOOK_RULE_A_DST_IPV4,
		     v6 ? 16 : 4, a);
	mnl_attr_put_u8(nlh, NFHOOK_RULE_A_DST_PREFIX, v6 ? 128 : 32);
	mnl_attr_put_u8(nlh, NFHOOK_RULE_A_L4PROTO, p->proto);
	if (p->ports) {
		mnl_attr_put_u16(nlh, NFHOOK_RULE_A_SPORT_MIN, p->sport);
		mnl_attr_put_u16(nlh, NFHOOK_RULE_A_SPORT_MAX, p->sport);
		mnl_attr_put_u16(nlh, NFHOOK_RULE_A_DPORT_MIN, p->dport);
		mnl_attr_put_u16(nlh, NFHOOK_RULE_A_DPORT_MAX, p->dport);
	}
	if (p->icmp) {
		mnl_attr_put_u8(nlh, NFHOOK_RULE_A_ICMP_TYPE, p->icmp_type);
		mnl_attr_put_u8(nlh, NFHOOK_RULE_A_ICMP_CODE, p->icmp_code);
	}
	mnl_attr_put_u32(nlh, NFHOOK_RULE_A_LEN_MIN, p->len);
	mnl_attr_put_u32(nlh, NFHOOK_RULE_A_LEN_MAX, p->len);
	if (p->tcp) {
		mnl_attr_put_u8(nlh, NFHOOK_RULE_A_TCP_FLAGS, p->tcp_flags);
		mnl_attr_put_u8(nlh, NFHOOK_RULE_A_TCP_FLAGS_MASK, 0xff);
	}
	mnl_attr_put_u32(nlh, NFHOOK_RULE_A_CT_STATE, p->ct_state);
	mnl_attr_nest_end(nlh, nest);
}

static void put_step(struct nlmsghdr *nlh, const struct step_in *s)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);

	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_HOOK, s->hook);
	mnl_attr_put_u64(nlh, NFHOOK_TRACE_A_TIME, s->time);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_RESULT, s->result);
	if (s->has_prio)
		mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_PRIORITY,
				 (uint32_t)s->prio);
	if (s->verdict)
		mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_VERDICT, s->verdict);
	if (s->pipe)
		put_pipe_nest(nlh, NFHOOK_TRACE_A_PIPE, s->pipe);
	if (s->reason)
		mnl_attr_put_strz(nlh, NFHOOK_TRACE_A_REASON, s->reason);
	if (s->iif)
		mnl_attr_put_strz(nlh, NFHOOK_TRACE_A_IIFNAME, s->iif);
	if (s->oif)
		mnl_attr_put_strz(nlh, NFHOOK_TRACE_A_OIFNAME, s->oif);
	mnl_attr_nest_end(nlh, nest);
}

/* The header of a TRACE_EVENT, as the kernel sends it (unicast, seq 0). */
static struct nlmsghdr *put_header(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x20;
	g->cmd = NFHOOK_CMD_TRACE_EVENT;
	g->version = NFHOOK_GENL_VERSION;
	return nlh;
}

static struct nlmsghdr *put_event(char *buf, uint64_t packet_id,
				  uint32_t lost, const struct pkt_in *p,
				  const struct step_in *steps, size_t n)
{
	struct nlmsghdr *nlh = put_header(buf);
	size_t i;

	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_ID, 3);
	mnl_attr_put_u64(nlh, NFHOOK_A_TRACE_PACKET_ID, packet_id);
	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, p->family);
	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_LOST, lost);
	put_packet(nlh, p);
	for (i = 0; i < n; i++)
		put_step(nlh, &steps[i]);
	return nlh;
}

static void sample_pipeline(struct nfh_pipeline *pl)
{
	struct nfh_pipe_entry *e;
	size_t i;

	for (i = 0; i < NFH_ARRAY_SIZE(hooks); i++) {
		const struct hook_in *h = &hooks[i];

		e = nfh_pipeline_add(pl);
		if (!e) {
			unit_fail(__FILE__, __LINE__, "out of memory");
			return;
		}
		memset(e, 0, sizeof(*e));
		e->family = h->family;
		e->hook = h->hook;
		e->position = h->position;
		e->priority = h->priority;
		e->kind = h->kind;
		e->table_family = h->table_family;
		e->ours = h->ours;
		snprintf(e->function, sizeof(e->function), "%s", h->function);
		snprintf(e->module, sizeof(e->module), "%s", h->module);
		if (h->table)
			snprintf(e->table, sizeof(e->table), "%s", h->table);
		if (h->chain)
			snprintf(e->chain, sizeof(e->chain), "%s", h->chain);
	}
}

#define T0	1000000000ULL

/* Received for this host, accepted everywhere. */
static const struct step_in delivered[] = {
	{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0, NULL,
	  NULL, "veth0", NULL },
	{ NF_INET_LOCAL_IN, T0 + 12500, NFHOOK_TRACE_RESULT_PASSED, false, 0,
	  NFHOOK_TRACE_VERDICT_ACCEPT, NULL, NULL, "veth0", NULL },
};

/* Routed through this host. */
static const struct step_in forwarded[] = {
	{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0, NULL,
	  NULL, "veth0", NULL },
	{ NF_INET_FORWARD, T0 + 8000, NFHOOK_TRACE_RESULT_PASSED, false, 0,
	  NFHOOK_TRACE_VERDICT_ACCEPT, NULL, NULL, "veth0", "veth1" },
	{ NF_INET_POST_ROUTING, T0 + 9000, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0,
	  NULL, NULL, NULL, "veth1" },
};

/* nfhook (0) accepted it; the nftables chain at 10 dropped it. */
static const struct step_in nft_dropped[] = {
	{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0, NULL,
	  NULL, "veth0", NULL },
	{ NF_INET_LOCAL_IN, T0 + 4000, NFHOOK_TRACE_RESULT_DROPPED, true, 1,
	  NFHOOK_TRACE_VERDICT_ACCEPT, &nft_input, "NETFILTER_DROP", "veth0",
	  NULL },
};

static char *text_of(const struct nfh_trace_event *ev,
		     const struct nfh_pipeline *pl, bool verbose, bool json)
{
	struct nfh_out o;
	FILE *fp;
	char *out;

	unit_capture_begin(&fp);
	nfh_out_init(&o, fp, json, false);
	if (json)
		nfh_trace_print_json(&o, ev, pl);
	else
		nfh_trace_print(&o, ev, pl, verbose);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(fp, &out);
	return out;
}

static void parse_cases(void)
{
	static char buf[8192] __attribute__((aligned(4)));
	static struct nfh_trace_event ev;
	struct step_in many[NFH_TRACE_STEPS_MAX + 1];
	const struct nfh_trace_step *s;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t want6[16];
	size_t i;

	unit_case("trace msg: ids, family, lost, packet and every step read back");
	nlh = put_event(buf, 77, 2, &ssh_syn, nft_dropped, 2);
	mnl_attr_put_u32(nlh, 250, 9);		/* unknown: skipped */
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), 0);
	CHECK_INT(ev.trace_id, 3);
	CHECK_INT(ev.packet_id, 77);
	CHECK_INT(ev.family, NFPROTO_IPV4);
	CHECK_INT(ev.lost, 2);
	CHECK_INT(ev.pkt.family, NFPROTO_IPV4);
	CHECK_INT(ev.pkt.proto, IPPROTO_TCP);
	CHECK_INT(ev.pkt.sport_min, 40000);
	CHECK_INT(ev.pkt.dport_min, 22);
	CHECK_INT(ev.pkt.len_min, 60);
	CHECK_INT(ev.pkt.tcp_flags, 0x02);
	CHECK_INT(ev.pkt.ct_state, NFHOOK_CT_STATE_NEW);
	CHECK(!memcmp(ev.pkt.saddr, "\x0a\x00\x01\x02", 4));
	CHECK(!memcmp(ev.pkt.daddr, "\x0a\x00\x02\x01", 4));
	CHECK_INT(ev.nsteps, 2);
	s = &ev.steps[0];
	CHECK_INT(s->hook, NF_INET_PRE_ROUTING);
	CHECK_INT(s->result, NFHOOK_TRACE_RESULT_PASSED);
	CHECK_INT(s->time_ns, T0);
	CHECK(!s->has_priority && !s->has_dropper);
	CHECK_STR(s->iif, "veth0");
	CHECK_STR(s->oif, "");
	CHECK_STR(s->reason, "");
	s = &ev.steps[1];
	CHECK_INT(s->hook, NF_INET_LOCAL_IN);
	CHECK_INT(s->result, NFHOOK_TRACE_RESULT_DROPPED);
	CHECK_INT(s->time_ns, T0 + 4000);
	CHECK(s->has_priority);
	CHECK_INT(s->priority, 1);
	CHECK_INT(s->verdict, NFHOOK_TRACE_VERDICT_ACCEPT);
	CHECK(s->has_dropper);
	CHECK_INT(s->dropper.kind, NFHOOK_PIPE_KIND_NFTABLES);
	CHECK_INT(s->dropper.priority, 10);
	CHECK_INT(s->dropper.table_family, NFPROTO_INET);
	CHECK_STR(s->dropper.table, "filter");
	CHECK_STR(s->dropper.chain, "input");
	CHECK_STR(s->dropper.function, "nft_do_chain_inet");
	CHECK_STR(s->reason, "NETFILTER_DROP");

	unit_case("trace msg: three steps in order, IPv6 ICMP, a negative priority");
	{
		struct step_in st[3] = {
			forwarded[0], forwarded[1],
			{ NF_INET_POST_ROUTING, T0 + 9000,
			  NFHOOK_TRACE_RESULT_VANISHED, true, INT32_MIN, 0, NULL,
			  NULL, NULL, "veth1" },
		};

		st[0].has_prio = true;
		st[0].prio = -399;
		nlh = put_event(buf, 1ULL << 40, 0, &ping6, st, 3);
		CHECK_INT(nfh_parse_trace_msg(nlh, &ev), 0);
		CHECK_INT(ev.packet_id, 1ULL << 40);
		CHECK_INT(ev.family, NFPROTO_IPV6);
		inet_pton(AF_INET6, "2001:db8:2::1", want6);
		CHECK(!memcmp(ev.pkt.daddr, want6, 16));
		CHECK_INT(ev.pkt.icmp_type, 128);
		CHECK(ev.pkt.fields & NFH_R_ICMP_TYPE);
		CHECK(!(ev.pkt.fields & NFH_R_SPORT));
		CHECK_INT(ev.nsteps, 3);
		CHECK_INT(ev.steps[0].hook, NF_INET_PRE_ROUTING);
		CHECK_INT(ev.steps[0].priority, -399);
		CHECK_INT(ev.steps[1].hook, NF_INET_FORWARD);
		CHECK_STR(ev.steps[1].oif, "veth1");
		CHECK_INT(ev.steps[2].hook, NF_INET_POST_ROUTING);
		CHECK_INT(ev.steps[2].result, NFHOOK_TRACE_RESULT_VANISHED);
		CHECK_INT(ev.steps[2].priority, INT32_MIN);
	}

	unit_case("trace msg: without the packet id, refused");
	nlh = put_header(buf);
	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_ID, 3);
	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	put_packet(nlh, &ssh_syn);
	put_step(nlh, &delivered[0]);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: without the packet, refused");
	nlh = put_header(buf);
	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_ID, 3);
	mnl_attr_put_u64(nlh, NFHOOK_A_TRACE_PACKET_ID, 5);
	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	put_step(nlh, &delivered[0]);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: without any step, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, NULL, 0);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a step without HOOK, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, delivered, 1);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_RESULT, NFHOOK_TRACE_RESULT_PASSED);
	mnl_attr_put_u64(nlh, NFHOOK_TRACE_A_TIME, T0);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a step without RESULT, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, NULL, 0);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_HOOK, NF_INET_LOCAL_IN);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a u16 packet id, refused");
	nlh = put_header(buf);
	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_ID, 3);
	mnl_attr_put_u16(nlh, NFHOOK_A_TRACE_PACKET_ID, 5);
	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	put_packet(nlh, &ssh_syn);
	put_step(nlh, &delivered[0]);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a u8 step priority, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, NULL, 0);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_HOOK, NF_INET_LOCAL_IN);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_RESULT, NFHOOK_TRACE_RESULT_DROPPED);
	mnl_attr_put_u8(nlh, NFHOOK_TRACE_A_PRIORITY, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a dropper without its KIND, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, NULL, 0);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_HOOK, NF_INET_LOCAL_IN);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_RESULT, NFHOOK_TRACE_RESULT_DROPPED);
	{
		struct nlattr *p = mnl_attr_nest_start(nlh, NFHOOK_TRACE_A_PIPE);

		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_FAMILY, NFPROTO_IPV4);
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_HOOK, NF_INET_LOCAL_IN);
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_POSITION, 0);
		mnl_attr_put_u32(nlh, NFHOOK_PIPE_A_PRIORITY, 0);
		mnl_attr_nest_end(nlh, p);
	}
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: a device name without its NUL, refused");
	nlh = put_event(buf, 5, 0, &ssh_syn, NULL, 0);
	nest = mnl_attr_nest_start(nlh, NFHOOK_A_TRACE_STEP);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_HOOK, NF_INET_LOCAL_IN);
	mnl_attr_put_u32(nlh, NFHOOK_TRACE_A_RESULT, NFHOOK_TRACE_RESULT_PASSED);
	mnl_attr_put(nlh, NFHOOK_TRACE_A_IIFNAME, 5, "veth0");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);

	unit_case("trace msg: %d steps fit, %d are refused",
		  NFH_TRACE_STEPS_MAX, NFH_TRACE_STEPS_MAX + 1);
	for (i = 0; i < NFH_ARRAY_SIZE(many); i++) {
		many[i] = delivered[0];
		many[i].time = T0 + i;
	}
	nlh = put_event(buf, 5, 0, &ssh_syn, many, NFH_TRACE_STEPS_MAX);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), 0);
	CHECK_INT(ev.nsteps, NFH_TRACE_STEPS_MAX);
	CHECK_INT(ev.steps[NFH_TRACE_STEPS_MAX - 1].time_ns,
		  T0 + NFH_TRACE_STEPS_MAX - 1);
	nlh = put_event(buf, 5, 0, &ssh_syn, many, NFH_TRACE_STEPS_MAX + 1);
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), -1);
}

/* @steps through the message and the parser, then printed as one line. */
static void line_case(const char *name, const struct pkt_in *p,
		      const struct step_in *steps, size_t n, uint32_t lost,
		      const struct nfh_pipeline *pl, const char *want)
{
	static char buf[8192] __attribute__((aligned(4)));
	static struct nfh_trace_event ev;
	struct nlmsghdr *nlh;
	char *out;

	unit_case("trace line: %s", name);
	nlh = put_event(buf, 42, lost, p, steps, n);
	if (nfh_parse_trace_msg(nlh, &ev)) {
		unit_fail(__FILE__, __LINE__, "the event does not parse");
		return;
	}
	out = text_of(&ev, pl, false, false);
	CHECK_STR(out, want);
	free(out);
}

static void line_cases(const struct nfh_pipeline *pl)
{
	static const struct step_in nfhook_rule[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0,
		  NULL, NULL, "veth0", NULL },
		{ NF_INET_LOCAL_IN, T0 + 4000, NFHOOK_TRACE_RESULT_DROPPED, true,
		  INT32_MIN, NFHOOK_TRACE_VERDICT_RULE_DROP, &nfhook_input,
		  NULL, "veth0", NULL },
	};
	static const struct step_in nfhook_policy[] = {
		{ NF_INET_FORWARD, T0, NFHOOK_TRACE_RESULT_DROPPED, true, INT32_MIN,
		  NFHOOK_TRACE_VERDICT_POLICY_DROP, NULL, NULL, "veth0",
		  "veth1" },
	};
	/* The kernel names the first hook at 0, nftables; nfhook said drop. */
	static const struct step_in nfhook_shared[] = {
		{ NF_INET_FORWARD, T0, NFHOOK_TRACE_RESULT_DROPPED, true,
		  INT32_MIN, NFHOOK_TRACE_VERDICT_RULE_DROP, &nft_forward6,
		  NULL, "veth0", "veth1" },
	};
	/* The kernel names the first hook at 0; the second may have done it. */
	static const struct step_in output_shared[] = {
		{ NF_INET_LOCAL_OUT, T0, NFHOOK_TRACE_RESULT_DROPPED, true,
		  INT32_MIN, 0, &ipt_output, "NETFILTER_DROP", NULL, "veth0" },
	};
	static const struct step_in unnamed[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_DROPPED, true,
		  INT32_MIN, 0, NULL, "NETFILTER_DROP", "veth0", NULL },
	};
	static const struct step_in fragment[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_PASSED, false, 0, 0,
		  NULL, NULL, "veth0", NULL },
		{ NF_INET_LOCAL_IN, T0 + 4000, NFHOOK_TRACE_RESULT_DROPPED, true,
		  INT32_MIN, NFHOOK_TRACE_VERDICT_FRAGMENT_DROP,
		  &nfhook_input, NULL, "veth0", NULL },
	};
	static const struct step_in rp_filter[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_STACK_DROPPED,
		  false, 0, 0, NULL, "IP_RPFILTER", "veth0", NULL },
	};
	static const struct step_in stolen_inside[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_VANISHED, true, -199,
		  0, &nat_pre, NULL, "veth0", NULL },
	};
	static const struct step_in vanished_after[] = {
		{ NF_INET_PRE_ROUTING, T0, NFHOOK_TRACE_RESULT_VANISHED, false, 0, 0,
		  NULL, NULL, "veth0", NULL },
	};

	line_case("delivered locally", &ssh_syn, delivered, 2, 0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " input(0 nfhook, 10 nft inet/filter/input, 2147483647 conntrack)"
		  " => delivered locally\n");
	line_case("forwarded, sent out via the device", &dns_query,
		  forwarded, 3, 0, pl,
		  "42 ipv4 udp 10.0.1.2:5353 > 192.0.2.53:53 len 71:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " forward(0 nfhook)"
		  " postrouting(100 nat, 2147483647 conntrack)"
		  " => sent out via veth1\n");
	line_case("dropped by an nftables chain, the hooks before it named",
		  &ssh_syn, nft_dropped, 2, 0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " input(0 nfhook, 10 nft inet/filter/input DROP)"
		  " => DROP by nftables chain inet filter input at input, priority 10\n");
	line_case("dropped by an nfhook rule", &ssh_syn, nfhook_rule, 2, 0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " input(0 nfhook DROP)"
		  " => DROP by nfhook at input, priority 0 (a rule)\n");
	line_case("dropped by nfhook's policy, no dropper sent, packets lost before",
		  &dns_query, nfhook_policy, 1, 4, pl,
		  "(4 packets lost before this one)\n"
		  "42 ipv4 udp 10.0.1.2:5353 > 192.0.2.53:53 len 71:"
		  " forward(0 nfhook DROP)"
		  " => DROP by nfhook at forward, priority 0 (the hook's policy)\n");
	line_case("dropped by nfhook sharing its priority with nftables",
		  &ping6, nfhook_shared, 1, 0, pl,
		  "42 ipv6 icmpv6 2001:db8:1::2 > 2001:db8:2::1 echo-request len 104:"
		  " forward(0 nft inet/filter/forward, 0 nfhook DROP)"
		  " => DROP by nfhook at forward, priority 0 (a rule)\n");
	line_case("dropped at a priority two hooks share, both named",
		  &dns_query, output_shared, 1, 0, pl,
		  "42 ipv4 udp 10.0.1.2:5353 > 192.0.2.53:53 len 71:"
		  " output(0 iptables filter DROP)"
		  " => DROP by iptables table filter or nftables chain inet filter output"
		  " at output, priority 0 (they share it: a trace cannot tell which)\n");
	line_case("dropped where the hook cannot be named", &ping6,
		  unnamed, 1, 0, pl,
		  "42 ipv6 icmpv6 2001:db8:1::2 > 2001:db8:2::1 echo-request len 104:"
		  " prerouting()"
		  " => DROP at prerouting, after priority -2147483648\n");
	line_case("a tiny fragment dropped by nfhook", &ssh_syn, fragment, 2, 0,
		  pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " input(0 nfhook DROP)"
		  " => DROP by nfhook at input, priority 0 (a tiny fragment)\n");
	line_case("dropped by the stack with a reason", &ssh_syn, rp_filter, 1,
		  0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " => dropped by the stack after prerouting: IP_RPFILTER\n");
	line_case("vanished inside a hook point (NAT at -100)", &ssh_syn,
		  stolen_inside, 1, 0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat STOLEN?)"
		  " => vanished at prerouting in NAT, priority -100 (stolen, or dropped unseen)\n");
	line_case("vanished after a hook point", &ssh_syn, vanished_after, 1,
		  0, pl,
		  "42 ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60:"
		  " prerouting(-400 defrag, -200 conntrack, -100 nat)"
		  " => vanished after prerouting (stolen, or dropped unseen)\n");
	line_case("IPv6 echo request, only the IPv6 hooks named", &ping6,
		  delivered, 2, 0, pl,
		  "42 ipv6 icmpv6 2001:db8:1::2 > 2001:db8:2::1 echo-request len 104:"
		  " prerouting() input(-50 nfhook) => delivered locally\n");
}

static const char want_verbose[] =
	"packet 42 (trace 3): ipv4 tcp 10.0.1.2:40000 > 10.0.2.1:22 [syn] len 60\n"
	"  +0.000000 prerouting in veth0\n"
	"        -400 defrag     ipv4_conntrack_defrag [nf_defrag_ipv4]\n"
	"        -200 conntrack  ipv4_conntrack_in [nf_conntrack]\n"
	"        -100 nat        nf_nat_ipv4_pre_routing [nf_nat]\n"
	"  +0.000004 input in veth0\n"
	"           0 nfhook     nfhook_hook_fn [nfhook]\n"
	"          10 nftables   nft_do_chain_inet [nf_tables]  <- DROP\n"
	"  => DROP by nftables chain inet filter input at input, priority 10\n";

static const char want_json[] =
	"{\"trace\":3,\"packet\":42,\"lost\":0,"
	"\"packet_info\":{\"family\":\"ipv4\",\"saddr\":\"10.0.1.2\","
	"\"daddr\":\"10.0.2.1\",\"proto\":6,\"sport\":40000,\"dport\":22,"
	"\"len\":60,\"ct_state\":\"new\"},"
	"\"steps\":[{\"hook\":\"prerouting\",\"result\":\"passed\","
	"\"time_ns\":1000000000,\"iif\":\"veth0\",\"passed\":["
	"{\"priority\":-400,\"kind\":\"defrag\",\"function\":\"ipv4_conntrack_defrag\"},"
	"{\"priority\":-200,\"kind\":\"conntrack\",\"function\":\"ipv4_conntrack_in\"},"
	"{\"priority\":-100,\"kind\":\"nat\",\"function\":\"nf_nat_ipv4_pre_routing\"}]},"
	"{\"hook\":\"input\",\"result\":\"dropped\",\"time_ns\":1000004000,"
	"\"priority\":1,\"nfhook_verdict\":\"accept\",\"iif\":\"veth0\","
	"\"reason\":\"NETFILTER_DROP\",\"passed\":["
	"{\"priority\":0,\"kind\":\"nfhook\",\"function\":\"nfhook_hook_fn\"}],"
	"\"stopped_by\":{\"priority\":10,\"kind\":\"nftables\","
	"\"function\":\"nft_do_chain_inet\",\"module\":\"nf_tables\","
	"\"table\":\"filter\",\"chain\":\"input\",\"table_family\":\"inet\"}}]}\n";

static void detail_cases(const struct nfh_pipeline *pl)
{
	static char buf[8192] __attribute__((aligned(4)));
	static struct nfh_trace_event ev;
	struct nlmsghdr *nlh;
	char *out;

	nlh = put_event(buf, 42, 0, &ssh_syn, nft_dropped, 2);
	unit_case("trace -v: one line per hook point and per hook, times from the first");
	CHECK_INT(nfh_parse_trace_msg(nlh, &ev), 0);
	out = text_of(&ev, pl, true, false);
	CHECK_STR(out, want_verbose);
	free(out);

	unit_case("trace -j: one object per packet, the keys of nfhookctl(8)");
	out = text_of(&ev, pl, false, true);
	CHECK_STR(out, want_json);
	free(out);

	unit_case("trace -j: two packets are two documents, one a line");
	{
		struct nfh_out o;
		char *want;
		FILE *fp;

		unit_capture_begin(&fp);
		nfh_out_init(&o, fp, true, false);
		nfh_trace_print_json(&o, &ev, pl);
		nfh_trace_print_json(&o, &ev, pl);
		CHECK_INT(nfh_out_finish(&o), 0);
		unit_capture_end(fp, &out);
		want = malloc(2 * sizeof(want_json));
		if (want) {
			snprintf(want, 2 * sizeof(want_json), "%s%s", want_json,
				 want_json);
			CHECK_STR(out, want);
		}
		free(want);
		free(out);
	}
}

void suite_trace(void)
{
	struct nfh_pipeline pl = { 0 };

	parse_cases();
	sample_pipeline(&pl);
	line_cases(&pl);
	detail_cases(&pl);
	nfh_pipeline_free(&pl);
}
