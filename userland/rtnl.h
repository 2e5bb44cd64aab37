/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What runs on one device before and after netfilter, read over rtnetlink
 * (libmnl): its XDP programs (RTM_GETLINK, IFLA_XDP), the qdisc that holds
 * its tc filters (RTM_GETQDISC) and those filters (RTM_GETTFILTER), and the
 * names of the BPF programs (bpf(2), when permitted).
 *
 * The nfh_rtnl_parse_* callbacks are pure (libmnl on a message, no socket)
 * and fill the structs below; the tests feed them crafted messages through
 * nfh_nl_dump_feed().  nfh_rtnl_read() asks the kernel.
 */
#ifndef NFHOOKCTL_RTNL_H
#define NFHOOKCTL_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nfh_nl;

/* XDP modes, as IFLA_XDP_ATTACHED names them (XDP_ATTACHED_*). */
enum nfh_xdp_mode {
	NFH_XDP_NONE,
	NFH_XDP_DRV,
	NFH_XDP_SKB,
	NFH_XDP_HW,
	NFH_XDP_MULTI,
};

#define NFH_BPF_NAME_MAX	16	/* BPF_OBJ_NAME_LEN */

struct nfh_xdp_prog {
	enum nfh_xdp_mode mode;		/* DRV, SKB or HW */
	uint32_t id;
	char name[NFH_BPF_NAME_MAX];	/* "" until nfh_rtnl_names() */
};

/* The tc side of one direction. */
enum nfh_tc_state {
	NFH_TC_NO_QDISC,		/* neither clsact nor ingress */
	NFH_TC_CLSACT,
	NFH_TC_INGRESS,			/* the classic ingress qdisc */
	NFH_TC_UNSUPPORTED,		/* the kernel has no tc (EOPNOTSUPP) */
};

struct nfh_tc_filter {
	uint32_t pref;			/* priority, from tcm_info */
	uint16_t protocol;		/* ETH_P_*, host order */
	uint32_t chain;
	uint32_t handle;
	char kind[16];			/* TCA_KIND: bpf, matchall, u32, ... */
	/* bpf filters */
	bool is_bpf, direct_action;
	uint32_t prog_id;
	char bpf_name[256];		/* TCA_BPF_NAME: what tc called it */
	char prog_name[NFH_BPF_NAME_MAX];
};

struct nfh_tc_dir {
	enum nfh_tc_state state;
	struct nfh_tc_filter *filters;
	size_t n, cap;
};

struct nfh_devpath {
	char ifname[16];
	uint32_t ifindex;
	enum nfh_xdp_mode xdp_attached;	/* IFLA_XDP_ATTACHED */
	struct nfh_xdp_prog xdp[3];	/* one per mode attached */
	size_t nxdp;
	struct nfh_tc_dir tc_in, tc_out;
};

void nfh_devpath_free(struct nfh_devpath *d);

/* "drv", "skb", "hw", "multi", "none". */
const char *nfh_xdp_mode_name(enum nfh_xdp_mode mode);
/* "all", "ip", "ipv6", "arp", "802.1Q", ... or NULL. */
const char *nfh_eth_proto_name(uint16_t proto);

/*
 * A RTM_NEWLINK message into @data (struct nfh_devpath): ifindex, name and
 * the IFLA_XDP nest.  MNL_CB_ERROR if malformed.
 */
int nfh_rtnl_parse_link(const struct nlmsghdr *nlh, void *data);
/*
 * A RTM_NEWQDISC message into @data (struct nfh_devpath): the qdisc at
 * TC_H_INGRESS of the device (clsact or ingress) sets the tc states.
 */
int nfh_rtnl_parse_qdisc(const struct nlmsghdr *nlh, void *data);
/*
 * A RTM_NEWTFILTER message into @data (struct nfh_tc_dir): one filter.
 * The message of a filter's kind without a handle (the dump's heading of
 * each priority) adds none.
 */
int nfh_rtnl_parse_filter(const struct nlmsghdr *nlh, void *data);

/*
 * Everything above for the device @ifname, in the network namespace of
 * @rt (a NETLINK_ROUTE socket opened with nfh_nl_open_route()); program
 * names when bpf(2) allows.  Prints what went wrong ("no device ...");
 * 0 or -1.
 */
int nfh_rtnl_read(struct nfh_nl *rt, const char *ifname, struct nfh_devpath *d);

#endif /* NFHOOKCTL_RTNL_H */
