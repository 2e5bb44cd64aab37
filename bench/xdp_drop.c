// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP row of the benchmark: drop every IPv4 packet from the generator's
 * source address (the decision every other row makes at prerouting), pass
 * everything else.  Built by bench/bench.sh with clang -target bpf and
 * attached with "ip link set DEV xdp obj xdp_drop.o sec xdp".
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* 198.18.0.1: the generator's source (RFC 2544 benchmark range). */
#define BENCH_SADDR	0xc6120001

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);

	if ((void *)(iph + 1) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->saddr != bpf_htonl(BENCH_SADDR))
		return XDP_PASS;
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
