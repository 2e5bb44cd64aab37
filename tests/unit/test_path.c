// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl pipeline --path IFACE`: rtnetlink answers (RTM_NEWLINK with
 * IFLA_XDP, RTM_NEWQDISC, RTM_NEWTFILTER with bpf options) built with
 * libmnl and fed through nfh_nl_dump_feed(), as a real dump arrives; then
 * the path drawn in text and JSON around a few netfilter hooks.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/nfhook.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "msg.h"
#include "names.h"
#include "netlink.h"
#include "output.h"
#include "path.h"
#include "pipeline.h"
#include "rtnl.h"
#include "util.h"
#include "unit.h"

#define PORTID	5151
#define SEQ	17
#define IFINDEX	7

static char buf[16384] __attribute__((aligned(4)));
static size_t len;

static struct nlmsghdr *msg_start(uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void msg_end(struct nlmsghdr *nlh)
{
	len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void put_done(void)
{
	struct nlmsghdr *nlh = msg_start(NLMSG_DONE, NLM_F_MULTI);
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	*err = 0;
	msg_end(nlh);
}

/* The reply to RTM_GETLINK (fed here as a dump: the parser is the same). */
static struct nlmsghdr *put_link(const char *name, uint8_t attached,
				 uint32_t drv_id, uint32_t skb_id)
{
	struct nlmsghdr *nlh = msg_start(RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *nest;

	ifi->ifi_index = IFINDEX;
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nest = mnl_attr_nest_start(nlh, IFLA_XDP);
	if (skb_id)
		mnl_attr_put_u32(nlh, IFLA_XDP_SKB_PROG_ID, skb_id);
	if (drv_id)
		mnl_attr_put_u32(nlh, IFLA_XDP_DRV_PROG_ID, drv_id);
	mnl_attr_put_u8(nlh, IFLA_XDP_ATTACHED, attached);
	if (drv_id && !skb_id)
		mnl_attr_put_u32(nlh, IFLA_XDP_PROG_ID, drv_id);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct nlmsghdr *put_tc(uint16_t type, int ifindex, uint32_t parent,
			       uint32_t handle, uint32_t info, const char *kind)
{
	struct nlmsghdr *nlh = msg_start(type, NLM_F_MULTI);
	struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));

	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = handle;
	tcm->tcm_info = info;
	mnl_attr_put_strz(nlh, TCA_KIND, kind);
	return nlh;
}

static struct nlmsghdr *put_bpf_filter(uint32_t pref, const char *name,
				       uint32_t id, bool da)
{
	uint32_t parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
	struct nlmsghdr *nlh;
	struct nlattr *opts;

	nlh = put_tc(RTM_NEWTFILTER, IFINDEX, parent, 1,
		     TC_H_MAKE(pref << 16, htons(ETH_P_ALL)), "bpf");
	mnl_attr_put_u32(nlh, TCA_CHAIN, 0);
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, TCA_BPF_CLASSID, 0);
	if (name)
		mnl_attr_put_strz(nlh, TCA_BPF_NAME, name);
	mnl_attr_put_u32(nlh, TCA_BPF_FLAGS, da ? TCA_BPF_FLAG_ACT_DIRECT : 0);
	mnl_attr_put_u32(nlh, TCA_BPF_ID, id);
	mnl_attr_nest_end(nlh, opts);
	return nlh;
}

/* What has been put since the last feed, through the dump path. */
static int feed(mnl_cb_t cb, void *data)
{
	struct nfh_nl nl;
	bool intr = false;
	int ret;

	memset(&nl, 0, sizeof(nl));
	nl.portid = PORTID;
	ret = nfh_nl_dump_feed(&nl, SEQ, buf, len, cb, data, &intr);
	len = 0;
	return ret;
}

static void link_cases(void)
{
	struct nfh_devpath d;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	unit_case("path link: native XDP, its mode and id");
	memset(&d, 0, sizeof(d));
	msg_end(put_link("veth0", XDP_ATTACHED_DRV, 42, 0));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), 0);
	CHECK_INT(d.ifindex, IFINDEX);
	CHECK_STR(d.ifname, "veth0");
	CHECK_INT(d.xdp_attached, NFH_XDP_DRV);
	CHECK_INT(d.nxdp, 1);
	CHECK_INT(d.xdp[0].mode, NFH_XDP_DRV);
	CHECK_INT(d.xdp[0].id, 42);
	CHECK_STR(nfh_xdp_mode_name(d.xdp_attached), "drv");

	unit_case("path link: generic and native at once: multi, both ids");
	memset(&d, 0, sizeof(d));
	msg_end(put_link("eth1", XDP_ATTACHED_MULTI, 5, 6));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), 0);
	CHECK_INT(d.xdp_attached, NFH_XDP_MULTI);
	CHECK_INT(d.nxdp, 2);
	CHECK_INT(d.xdp[0].mode, NFH_XDP_SKB);
	CHECK_INT(d.xdp[0].id, 6);
	CHECK_INT(d.xdp[1].mode, NFH_XDP_DRV);
	CHECK_INT(d.xdp[1].id, 5);

	unit_case("path link: no program");
	memset(&d, 0, sizeof(d));
	msg_end(put_link("lo", XDP_ATTACHED_NONE, 0, 0));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), 0);
	CHECK_INT(d.xdp_attached, NFH_XDP_NONE);
	CHECK_INT(d.nxdp, 0);

	unit_case("path link: IFLA_XDP_ATTACHED as a u32, refused");
	nlh = msg_start(RTM_NEWLINK, 0);
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh,
		sizeof(struct ifinfomsg)))->ifi_index = IFINDEX;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	nest = mnl_attr_nest_start(nlh, IFLA_XDP);
	mnl_attr_put_u32(nlh, IFLA_XDP_ATTACHED, XDP_ATTACHED_DRV);
	mnl_attr_nest_end(nlh, nest);
	msg_end(nlh);
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), -1);

	unit_case("path link: an unknown XDP mode, refused");
	msg_end(put_link("x", 9, 1, 0));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), -1);

	unit_case("path link: a name longer than IFNAMSIZ, refused");
	msg_end(put_link("abcdefghijklmnopqrstu", XDP_ATTACHED_NONE, 0, 0));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_link, &d), -1);
}

static void tc_cases(struct nfh_devpath *d)
{
	struct nfh_tc_dir dir = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *opts;

	unit_case("path qdisc: another device's clsact and a root qdisc are not ours");
	memset(d, 0, sizeof(*d));
	d->ifindex = IFINDEX;
	msg_end(put_tc(RTM_NEWQDISC, IFINDEX + 1, TC_H_INGRESS, 0xffff0000,
		       0, "clsact"));
	msg_end(put_tc(RTM_NEWQDISC, IFINDEX, TC_H_ROOT, 0, 0, "noqueue"));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_qdisc, d), 0);
	CHECK_INT(d->tc_in.state, NFH_TC_NO_QDISC);
	CHECK_INT(d->tc_out.state, NFH_TC_NO_QDISC);

	unit_case("path qdisc: the classic ingress qdisc holds ingress filters only");
	msg_end(put_tc(RTM_NEWQDISC, IFINDEX, TC_H_INGRESS, 0xffff0000, 0,
		       "ingress"));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_qdisc, d), 0);
	CHECK_INT(d->tc_in.state, NFH_TC_INGRESS);
	CHECK_INT(d->tc_out.state, NFH_TC_NO_QDISC);

	unit_case("path qdisc: clsact, both directions");
	memset(d, 0, sizeof(*d));
	d->ifindex = IFINDEX;
	msg_end(put_tc(RTM_NEWQDISC, IFINDEX, TC_H_INGRESS, 0xffff0000, 0,
		       "clsact"));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_qdisc, d), 0);
	CHECK_INT(d->tc_in.state, NFH_TC_CLSACT);
	CHECK_INT(d->tc_out.state, NFH_TC_CLSACT);

	unit_case("path filters: heading skipped, bpf options read, matchall kept");
	/* As the kernel dumps them: each priority's heading, then filters. */
	msg_end(put_tc(RTM_NEWTFILTER, IFINDEX,
		       TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), 0,
		       TC_H_MAKE(49152U << 16, htons(ETH_P_ALL)), "bpf"));
	msg_end(put_bpf_filter(49152, "path_bpf.o:[tc]", 13, true));
	nlh = put_tc(RTM_NEWTFILTER, IFINDEX,
		     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), 0x2,
		     TC_H_MAKE(7U << 16, htons(ETH_P_IPV6)), "matchall");
	mnl_attr_put_u32(nlh, TCA_CHAIN, 3);
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, 1, 0);
	mnl_attr_nest_end(nlh, opts);
	msg_end(nlh);
	msg_end(put_tc(RTM_NEWTFILTER, IFINDEX,
		       TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), 0x800,
		       TC_H_MAKE(9U << 16, htons(0x88cc)), "u32"));
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_filter, &d->tc_in), 0);
	CHECK_INT(d->tc_in.n, 3);
	CHECK_INT(d->tc_in.filters[0].pref, 49152);
	CHECK_INT(d->tc_in.filters[0].protocol, ETH_P_ALL);
	CHECK_INT(d->tc_in.filters[0].handle, 1);
	CHECK_STR(d->tc_in.filters[0].kind, "bpf");
	CHECK(d->tc_in.filters[0].is_bpf);
	CHECK(d->tc_in.filters[0].direct_action);
	CHECK_INT(d->tc_in.filters[0].prog_id, 13);
	CHECK_STR(d->tc_in.filters[0].bpf_name, "path_bpf.o:[tc]");
	CHECK_INT(d->tc_in.filters[1].pref, 7);
	CHECK_INT(d->tc_in.filters[1].protocol, ETH_P_IPV6);
	CHECK_INT(d->tc_in.filters[1].chain, 3);
	CHECK_STR(d->tc_in.filters[1].kind, "matchall");
	CHECK(!d->tc_in.filters[1].is_bpf);
	CHECK_STR(nfh_eth_proto_name(d->tc_in.filters[1].protocol), "ipv6");
	CHECK(!nfh_eth_proto_name(d->tc_in.filters[2].protocol));

	unit_case("path filters: a bpf name without its NUL, refused");
	nlh = put_tc(RTM_NEWTFILTER, IFINDEX, 0, 1, 0, "bpf");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_BPF_NAME, 3, "abc");
	mnl_attr_nest_end(nlh, opts);
	msg_end(nlh);
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_filter, &dir), -1);
	CHECK_INT(dir.n, 0);

	unit_case("path filters: no TCA_KIND, refused");
	nlh = msg_start(RTM_NEWTFILTER, NLM_F_MULTI);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct tcmsg));
	msg_end(nlh);
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_filter, &dir), -1);

	unit_case("path filters: a short tcmsg, refused");
	nlh = msg_start(RTM_NEWTFILTER, NLM_F_MULTI);
	mnl_nlmsg_put_extra_header(nlh, 4);
	msg_end(nlh);
	put_done();
	CHECK_INT(feed(nfh_rtnl_parse_filter, &dir), -1);
	free(dir.filters);
}

/* A namespace's hooks: the device's and another's, IPv4 and IPv6. */
static void sample_hooks(struct nfh_pipeline *pl)
{
	static const struct nfh_pipe_entry in[] = {
		{ .family = NFPROTO_IPV4, .hook = NF_INET_LOCAL_IN,
		  .kind = NFHOOK_PIPE_KIND_NFHOOK, .ours = true,
		  .function = "nfhook_hook_fn", .module = "nfhook" },
		{ .family = NFPROTO_IPV4, .hook = NF_INET_PRE_ROUTING,
		  .priority = -300, .kind = NFHOOK_PIPE_KIND_NFTABLES,
		  .table_family = NFPROTO_INET, .table = "t", .chain = "pre",
		  .function = "nft_do_chain_inet", .module = "nf_tables" },
		{ .family = NFPROTO_IPV6, .hook = NF_INET_FORWARD,
		  .kind = NFHOOK_PIPE_KIND_NFHOOK, .ours = true,
		  .function = "nfhook_hook_fn", .module = "nfhook" },
		{ .family = NFPROTO_NETDEV, .hook = NFH_NETDEV_INGRESS,
		  .ifindex = IFINDEX, .ifname = "veth0", .priority = -500,
		  .kind = NFHOOK_PIPE_KIND_NFTABLES,
		  .table_family = NFPROTO_NETDEV, .table = "nd", .chain = "ing",
		  .function = "nft_do_chain_netdev", .module = "nf_tables" },
		{ .family = NFPROTO_NETDEV, .hook = NFH_NETDEV_INGRESS,
		  .ifindex = IFINDEX + 1, .ifname = "other", .priority = -5,
		  .kind = NFHOOK_PIPE_KIND_NFTABLES,
		  .table_family = NFPROTO_NETDEV, .table = "nd", .chain = "o",
		  .function = "nft_do_chain_netdev", .module = "nf_tables" },
	};
	size_t i;

	nfh_pipeline_clear(pl);
	for (i = 0; i < NFH_ARRAY_SIZE(in); i++)
		*nfh_pipeline_add(pl) = in[i];
}

static char *path_of(const struct nfh_devpath *d, struct nfh_pipeline *pl,
		     bool json, const struct nfh_pipe_filter *f)
{
	struct nfh_out o;
	FILE *fp;
	char *out;

	sample_hooks(pl);
	unit_capture_begin(&fp);
	nfh_out_init(&o, fp, json, false);
	nfh_path_print(&o, d, pl, f);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(fp, &out);
	return out;
}

static const char want_text[] =
	"veth0: the way of its packets, from the wire to the socket and back out\n"
	"\n"
	"== received on veth0 ==\n"
	"wire\n"
	"  |\n  v\n"
	"xdp veth0: run on each frame received, before the kernel makes a packet of it; next: tc ingress\n"
	"  MODE  ID  PROGRAM\n"
	"  drv   42  xdp_pass\n"
	"  |\n  v\n"
	"tc ingress veth0: the filters of its clsact qdisc; next: netdev ingress\n"
	"   PREF  PROTO   CHAIN  HANDLE  KIND      WHAT\n"
	"  49152  all         0     0x1  bpf       tc_pass id 13 direct-action (path_bpf.o:[tc])\n"
	"      7  ipv6        3     0x2  matchall  -\n"
	"      9  0x88cc      0   0x800  u32       -\n"
	"  |\n  v\n"
	"netdev ingress veth0: packets as the device receives them; next: prerouting\n"
	"  PRIO  NAME  WHAT                          FUNCTION             MODULE\n"
	"  -500        nftables chain netdev nd ing  nft_do_chain_netdev  nf_tables\n"
	"  |\n  v\n"
	"ipv4 prerouting: every packet received; next: routing, then input or forward\n"
	"  PRIO  NAME  WHAT                       FUNCTION           MODULE\n"
	"  -300  raw   nftables chain inet t pre  nft_do_chain_inet  nf_tables\n"
	"\n"
	"ipv6 prerouting: every packet received; next: routing, then input or forward\n"
	"  (no hooks)\n"
	"  |\n  v\n"
	"routing decision: for this host, local delivery; for another, forwarding\n"
	"\n"
	"== local delivery: packets for this host ==\n"
	"ipv4 input: packets for this host; next: the local socket\n"
	"   PRIO  NAME    WHAT    FUNCTION        MODULE\n"
	"*     0  filter  nfhook  nfhook_hook_fn  nfhook\n"
	"\n"
	"ipv6 input: packets for this host; next: the local socket\n"
	"  (no hooks)\n"
	"  |\n  v\n"
	"local socket\n"
	"\n"
	"== forwarding: packets for another host, out through the device of their route ==\n"
	"ipv4 forward: packets routed through this host; next: postrouting\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 forward: packets routed through this host; next: postrouting\n"
	"   PRIO  NAME    WHAT    FUNCTION        MODULE\n"
	"*     0  filter  nfhook  nfhook_hook_fn  nfhook\n"
	"  |\n  v\n"
	"postrouting of that device (below when it is this one)\n"
	"\n"
	"== sent by this host ==\n"
	"local socket\n"
	"  |\n  v\n"
	"ipv4 output: packets sent by this host; next: routing, then postrouting\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 output: packets sent by this host; next: routing, then postrouting\n"
	"  (no hooks)\n"
	"  |\n  v\n"
	"routing decision: the device to leave through\n"
	"\n"
	"== forwarded and sent packets leaving through veth0 ==\n"
	"ipv4 postrouting: every packet leaving; next: the device (egress)\n"
	"  (no hooks)\n"
	"\n"
	"ipv6 postrouting: every packet leaving; next: the device (egress)\n"
	"  (no hooks)\n"
	"  |\n  v\n"
	"netdev egress veth0: packets as the device sends them, after postrouting\n"
	"  (no hooks)\n"
	"  |\n  v\n"
	"tc egress veth0: the filters of its clsact qdisc; next: the device's queue, then the wire\n"
	"  (no filters)\n"
	"  |\n  v\n"
	"wire\n"
	"\n"
	"In each hook point, hooks run from top to bottom (lowest priority first).\n"
	"* nfhook's own hook in this namespace\n";

static const char want_json_v6[] =
	"{\"device\":\"veth0\",\"ifindex\":7,"
	"\"xdp\":{\"attached\":\"drv\",\"programs\":[{\"mode\":\"drv\",\"id\":42,\"name\":\"xdp_pass\"}]},"
	"\"tc_ingress\":{\"qdisc\":\"clsact\",\"filters\":["
	"{\"pref\":49152,\"protocol\":\"all\",\"chain\":0,\"handle\":1,\"kind\":\"bpf\","
	"\"program_id\":13,\"program_name\":\"tc_pass\",\"bpf_name\":\"path_bpf.o:[tc]\",\"direct_action\":true},"
	"{\"pref\":7,\"protocol\":\"ipv6\",\"chain\":3,\"handle\":2,\"kind\":\"matchall\"},"
	"{\"pref\":9,\"protocol\":\"0x88cc\",\"chain\":0,\"handle\":2048,\"kind\":\"u32\"}]},"
	"\"hooks\":["
	"{\"family\":\"netdev\",\"hook\":\"ingress\",\"device\":\"veth0\",\"position\":0,\"priority\":-500,"
	"\"kind\":\"nftables\",\"function\":\"nft_do_chain_netdev\",\"module\":\"nf_tables\","
	"\"table\":\"nd\",\"chain\":\"ing\",\"table_family\":\"netdev\",\"ours\":false},"
	"{\"family\":\"ipv6\",\"hook\":\"forward\",\"position\":0,\"priority\":0,"
	"\"kind\":\"nfhook\",\"function\":\"nfhook_hook_fn\",\"module\":\"nfhook\",\"ours\":true}],"
	"\"tc_egress\":{\"qdisc\":\"clsact\",\"filters\":[]}}\n";

static void print_cases(struct nfh_devpath *d)
{
	struct nfh_pipe_filter all = { 0 };
	struct nfh_pipe_filter v6 = { .has_family = true,
				      .family = NFPROTO_IPV6 };
	struct nfh_pipeline pl = { 0 };
	char *out;

	/* The device of tc_cases, with the XDP of link_cases' first. */
	strcpy(d->ifname, "veth0");
	d->xdp_attached = NFH_XDP_DRV;
	d->nxdp = 1;
	d->xdp[0].mode = NFH_XDP_DRV;
	d->xdp[0].id = 42;
	strcpy(d->xdp[0].name, "xdp_pass");
	strcpy(d->tc_in.filters[0].prog_name, "tc_pass");

	unit_case("path text: wire to socket and back, the device's hooks only");
	out = path_of(d, &pl, false, &all);
	CHECK_STR(out, want_text);
	free(out);

	unit_case("path json, ipv6: stable keys, hooks of the family and device");
	out = path_of(d, &pl, true, &v6);
	CHECK_STR(out, want_json_v6);
	free(out);

	unit_case("path text: no XDP, no tc in the kernel, a name bpf(2) hid");
	d->nxdp = 0;
	d->xdp_attached = NFH_XDP_NONE;
	d->tc_in.state = NFH_TC_UNSUPPORTED;
	d->tc_out.state = NFH_TC_UNSUPPORTED;
	d->tc_in.n = 1;
	d->tc_in.filters[0].prog_name[0] = '\0';
	out = path_of(d, &pl, false, &v6);
	CHECK(strstr(out, "xdp veth0: run on each frame received, before the kernel makes a packet of it; next: tc ingress\n"
			  "  (no program)\n"));
	CHECK(strstr(out, "tc ingress veth0: this kernel has no traffic control (tc); next: netdev ingress\n"));
	CHECK(strstr(out, "  49152  all        0     0x1  bpf   id 13 direct-action (path_bpf.o:[tc])\n"));
	CHECK(!strstr(out, "ipv4 "));
	CHECK(strstr(out, "ipv6 postrouting: "));
	free(out);

	nfh_pipeline_free(&pl);
}

void suite_path(void)
{
	struct nfh_devpath d;

	link_cases();
	tc_cases(&d);
	print_cases(&d);
	nfh_devpath_free(&d);
}
