// SPDX-License-Identifier: GPL-2.0
/*
 * A device's XDP programs and tc filters, read over rtnetlink with libmnl,
 * and the names of their BPF programs from bpf(2).  The parsers take one
 * message each; nfh_rtnl_read() sends the requests (through netlink.c's
 * request loop, which gives errors with the kernel's extack message).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "netlink.h"
#include "rtnl.h"
#include "util.h"

/* The requests here: a header, ifinfomsg or tcmsg, one name. */
#define RTNL_MSG_MAX	256

void nfh_devpath_free(struct nfh_devpath *d)
{
	free(d->tc_in.filters);
	free(d->tc_out.filters);
	memset(d, 0, sizeof(*d));
}

const char *nfh_xdp_mode_name(enum nfh_xdp_mode mode)
{
	static const char *const names[] = {
		[NFH_XDP_NONE] = "none", [NFH_XDP_DRV] = "drv",
		[NFH_XDP_SKB] = "skb", [NFH_XDP_HW] = "hw",
		[NFH_XDP_MULTI] = "multi",
	};

	return (unsigned int)mode < NFH_ARRAY_SIZE(names) ? names[mode] : "?";
}

const char *nfh_eth_proto_name(uint16_t proto)
{
	switch (proto) {
	case ETH_P_ALL:
		return "all";
	case ETH_P_IP:
		return "ip";
	case ETH_P_IPV6:
		return "ipv6";
	case ETH_P_ARP:
		return "arp";
	case ETH_P_8021Q:
		return "802.1Q";
	case ETH_P_8021AD:
		return "802.1ad";
	default:
		return NULL;
	}
}

/* Copies a NUL-terminated string attribute; -1 if it is not one or too long. */
static int get_str(const struct nlattr *a, char *buf, size_t size)
{
	const char *s;

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	s = mnl_attr_get_str(a);
	if (strlen(s) >= size)
		return -1;
	strcpy(buf, s);
	return 0;
}

/* ---- links: IFLA_XDP --------------------------------------------------- */

static int xdp_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case IFLA_XDP_ATTACHED:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return MNL_CB_ERROR;
		break;
	case IFLA_XDP_PROG_ID:
	case IFLA_XDP_DRV_PROG_ID:
	case IFLA_XDP_SKB_PROG_ID:
	case IFLA_XDP_HW_PROG_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

static int parse_xdp(const struct nlattr *nest, struct nfh_devpath *d)
{
	static const struct {
		int attr;
		enum nfh_xdp_mode mode;
	} per_mode[] = {
		{ IFLA_XDP_SKB_PROG_ID, NFH_XDP_SKB },
		{ IFLA_XDP_DRV_PROG_ID, NFH_XDP_DRV },
		{ IFLA_XDP_HW_PROG_ID, NFH_XDP_HW },
	};
	const struct nlattr *tb[IFLA_XDP_MAX + 1] = { 0 };
	struct nfh_xdp_prog *p;
	uint8_t attached;
	size_t i;

	if (mnl_attr_parse_nested(nest, xdp_attr_cb, tb) < 0)
		return -1;
	if (!tb[IFLA_XDP_ATTACHED])
		return 0;
	attached = mnl_attr_get_u8(tb[IFLA_XDP_ATTACHED]);
	switch (attached) {
	case XDP_ATTACHED_NONE:
		return 0;
	case XDP_ATTACHED_DRV:
		d->xdp_attached = NFH_XDP_DRV;
		break;
	case XDP_ATTACHED_SKB:
		d->xdp_attached = NFH_XDP_SKB;
		break;
	case XDP_ATTACHED_HW:
		d->xdp_attached = NFH_XDP_HW;
		break;
	case XDP_ATTACHED_MULTI:
		d->xdp_attached = NFH_XDP_MULTI;
		break;
	default:
		return -1;
	}
	/* The per-mode ids are there for every program attached. */
	for (i = 0; i < NFH_ARRAY_SIZE(per_mode); i++) {
		if (!tb[per_mode[i].attr])
			continue;
		p = &d->xdp[d->nxdp++];
		p->mode = per_mode[i].mode;
		p->id = mnl_attr_get_u32(tb[per_mode[i].attr]);
	}
	/* Kernels before 5.0 give IFLA_XDP_PROG_ID alone. */
	if (!d->nxdp && tb[IFLA_XDP_PROG_ID] && d->xdp_attached != NFH_XDP_MULTI) {
		p = &d->xdp[d->nxdp++];
		p->mode = d->xdp_attached;
		p->id = mnl_attr_get_u32(tb[IFLA_XDP_PROG_ID]);
	}
	return 0;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	case IFLA_XDP:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

int nfh_rtnl_parse_link(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct nfh_devpath *d = data;
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_ERROR;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (ifi->ifi_index <= 0 || !tb[IFLA_IFNAME])
		return MNL_CB_ERROR;
	d->ifindex = (uint32_t)ifi->ifi_index;
	if (get_str(tb[IFLA_IFNAME], d->ifname, sizeof(d->ifname)))
		return MNL_CB_ERROR;
	d->xdp_attached = NFH_XDP_NONE;
	d->nxdp = 0;
	if (tb[IFLA_XDP] && parse_xdp(tb[IFLA_XDP], d))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* ---- qdiscs and filters ------------------------------------------------ */

static int tca_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case TCA_KIND:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	case TCA_OPTIONS:
		/* A nest for bpf; other kinds are not read. */
		break;
	case TCA_CHAIN:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

static const struct tcmsg *tc_msg(const struct nlmsghdr *nlh, int type,
				  const struct nlattr **tb)
{
	const struct tcmsg *tcm;

	if (nlh->nlmsg_type != type ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*tcm))
		return NULL;
	tcm = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*tcm), tca_attr_cb, tb) < 0)
		return NULL;
	return tcm;
}

int nfh_rtnl_parse_qdisc(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCA_MAX + 1] = { 0 };
	struct nfh_devpath *d = data;
	const struct tcmsg *tcm;
	const char *kind;

	tcm = tc_msg(nlh, RTM_NEWQDISC, tb);
	if (!tcm || !tb[TCA_KIND])
		return MNL_CB_ERROR;
	/* The dump has every device's qdiscs. */
	if ((uint32_t)tcm->tcm_ifindex != d->ifindex ||
	    tcm->tcm_parent != TC_H_INGRESS)
		return MNL_CB_OK;
	kind = mnl_attr_get_str(tb[TCA_KIND]);
	if (!strcmp(kind, "clsact")) {
		d->tc_in.state = NFH_TC_CLSACT;
		d->tc_out.state = NFH_TC_CLSACT;
	} else if (!strcmp(kind, "ingress")) {
		d->tc_in.state = NFH_TC_INGRESS;
	}
	return MNL_CB_OK;
}

static int bpf_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	switch (type) {
	case TCA_BPF_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	case TCA_BPF_ID:
	case TCA_BPF_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

static int parse_bpf_opts(const struct nlattr *opts, struct nfh_tc_filter *f)
{
	const struct nlattr *tb[TCA_BPF_MAX + 1] = { 0 };

	if (mnl_attr_validate(opts, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(opts, bpf_attr_cb, tb) < 0)
		return -1;
	if (tb[TCA_BPF_NAME] &&
	    get_str(tb[TCA_BPF_NAME], f->bpf_name, sizeof(f->bpf_name)))
		return -1;
	if (tb[TCA_BPF_ID])
		f->prog_id = mnl_attr_get_u32(tb[TCA_BPF_ID]);
	if (tb[TCA_BPF_FLAGS])
		f->direct_action = mnl_attr_get_u32(tb[TCA_BPF_FLAGS]) &
				   TCA_BPF_FLAG_ACT_DIRECT;
	return 0;
}

int nfh_rtnl_parse_filter(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCA_MAX + 1] = { 0 };
	struct nfh_tc_dir *dir = data;
	struct nfh_tc_filter f, *nf;
	const struct tcmsg *tcm;
	size_t cap;

	tcm = tc_msg(nlh, RTM_NEWTFILTER, tb);
	if (!tcm || !tb[TCA_KIND])
		return MNL_CB_ERROR;
	/* Each priority's heading: the kind and chain, no filter yet. */
	if (!tcm->tcm_handle)
		return MNL_CB_OK;
	memset(&f, 0, sizeof(f));
	f.pref = TC_H_MAJ(tcm->tcm_info) >> 16;
	f.protocol = ntohs((uint16_t)TC_H_MIN(tcm->tcm_info));
	f.handle = tcm->tcm_handle;
	if (tb[TCA_CHAIN])
		f.chain = mnl_attr_get_u32(tb[TCA_CHAIN]);
	if (get_str(tb[TCA_KIND], f.kind, sizeof(f.kind)))
		return MNL_CB_ERROR;
	if (!strcmp(f.kind, "bpf")) {
		f.is_bpf = true;
		if (tb[TCA_OPTIONS] && parse_bpf_opts(tb[TCA_OPTIONS], &f))
			return MNL_CB_ERROR;
	}
	if (dir->n == dir->cap) {
		cap = dir->cap ? dir->cap * 2 : 8;
		nf = realloc(dir->filters, cap * sizeof(*nf));
		if (!nf)
			return MNL_CB_ERROR;
		dir->filters = nf;
		dir->cap = cap;
	}
	dir->filters[dir->n++] = f;
	return MNL_CB_OK;
}

/* ---- asking the kernel ------------------------------------------------- */

/* The name of BPF program @id, or "" when bpf(2) will not say (EPERM). */
static void bpf_prog_name(uint32_t id, char *name, size_t size)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	int fd;

	name[0] = '\0';
	if (!id)
		return;
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	fd = (int)syscall(__NR_bpf, BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(unsigned long)&info;
	if (!syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)))
		snprintf(name, size, "%.*s", (int)sizeof(info.name), info.name);
	close(fd);
}

static struct nlmsghdr *rt_msg(struct nfh_nl *rt, void *buf, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++rt->seq;
	return nlh;
}

/* The filters of the clsact (or ingress) qdisc's @parent, into @dir. */
static int read_filters(struct nfh_nl *rt, uint32_t ifindex, uint32_t parent,
			struct nfh_tc_dir *dir)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = rt_msg(rt, buf, RTM_GETTFILTER);
	struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	bool intr = false;

	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)ifindex;
	tcm->tcm_parent = parent;
	if (nfh_nl_dump(rt, nlh, nfh_rtnl_parse_filter, dir, &intr)) {
		nfh_nl_print_error(rt, "nfhookctl: reading the tc filters");
		return -1;
	}
	return 0;
}

int nfh_rtnl_read(struct nfh_nl *rt, const char *ifname, struct nfh_devpath *d)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct tcmsg *tcm;
	bool intr = false;
	size_t i;

	memset(d, 0, sizeof(*d));
	nlh = rt_msg(rt, buf, RTM_GETLINK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (nfh_nl_do(rt, nlh, nfh_rtnl_parse_link, d)) {
		if (!rt->error.local && rt->error.err == ENODEV)
			fprintf(stderr, "nfhookctl: no device \"%s\" in this network namespace\n",
				ifname);
		else
			nfh_nl_print_error(rt, "nfhookctl: reading the device");
		return -1;
	}
	if (!d->ifindex) {
		fprintf(stderr, "nfhookctl: the kernel did not describe device \"%s\"\n",
			ifname);
		return -1;
	}
	for (i = 0; i < d->nxdp; i++)
		bpf_prog_name(d->xdp[i].id, d->xdp[i].name,
			      sizeof(d->xdp[i].name));

	/* Which qdisc holds the device's tc filters, if any. */
	nlh = rt_msg(rt, buf, RTM_GETQDISC);
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)d->ifindex;
	if (nfh_nl_dump(rt, nlh, nfh_rtnl_parse_qdisc, d, &intr)) {
		if (!rt->error.local && rt->error.err == EOPNOTSUPP) {
			/* No CONFIG_NET_SCHED: no tc at all. */
			d->tc_in.state = NFH_TC_UNSUPPORTED;
			d->tc_out.state = NFH_TC_UNSUPPORTED;
			return 0;
		}
		nfh_nl_print_error(rt, "nfhookctl: reading the qdiscs");
		return -1;
	}
	/*
	 * clsact's two parents; the classic ingress qdisc has one block
	 * (asking it for "egress" would list its ingress filters again).
	 */
	if (d->tc_in.state != NFH_TC_NO_QDISC &&
	    read_filters(rt, d->ifindex,
			 TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), &d->tc_in))
		return -1;
	if (d->tc_out.state == NFH_TC_CLSACT &&
	    read_filters(rt, d->ifindex,
			 TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), &d->tc_out))
		return -1;
	for (i = 0; i < d->tc_in.n; i++)
		bpf_prog_name(d->tc_in.filters[i].prog_id,
			      d->tc_in.filters[i].prog_name,
			      sizeof(d->tc_in.filters[i].prog_name));
	for (i = 0; i < d->tc_out.n; i++)
		bpf_prog_name(d->tc_out.filters[i].prog_id,
			      d->tc_out.filters[i].prog_name,
			      sizeof(d->tc_out.filters[i].prog_name));
	return 0;
}
