// SPDX-License-Identifier: GPL-2.0
/*
 * Two programs that let everything pass, for the pipeline --path scenario
 * (tests/integration/path.sh): one for XDP, one for a tc bpf filter in
 * direct-action mode.  Their names are what `pipeline --path` must show.
 * Built with clang -target bpf by tests/tools/Makefile.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int nfh_path_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int nfh_path_tc(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
