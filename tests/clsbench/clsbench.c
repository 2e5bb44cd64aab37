// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook_clsbench: measures the rule table of nfhook (table.c with its
 * classifier) on a kernel without KUnit, such as Debian's: lookups per
 * rule count through the table, the linear walk and the classifier alone,
 * and single updates at 10,000 rules.  Prints one line per measurement and
 * "clsbench: done"; loading fails on purpose (-EAGAIN) so that nothing
 * stays behind.  Rules and their counters are rule.c's own.
 */

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "classifier.h"
#include "nfhook.h"

/* Rule @i: drop from 10.0.0.0 + i, or drop udp to port 1 + i. */
static struct nfhook_rule *bench_rule(bool by_port, u32 i)
{
	struct nfhook_rule *rule = nfhook_rule_alloc();

	if (!rule)
		return NULL;
	rule->match.family = NFPROTO_IPV4;
	rule->action = NFHOOK_ACTION_DROP;
	if (by_port) {
		rule->match.fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT;
		rule->match.l4proto = IPPROTO_UDP;
		rule->match.dport_min = 1 + i;
		rule->match.dport_max = 1 + i;
	} else {
		rule->match.fields = NFHOOK_MATCH_SADDR;
		rule->match.saddr.ip = htonl(0x0a000000 + i);
		rule->match.smask.ip = htonl(0xffffffff);
		rule->match.sprefix = 32;
	}
	return rule;
}

static void bench_pkt(struct nfhook_pkt *pkt, bool by_port, u32 i)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = NFPROTO_IPV4;
	pkt->l4proto = IPPROTO_UDP;
	pkt->l4_valid = true;
	pkt->len = 64;
	pkt->sport = 9;
	pkt->dport = by_port ? 1 + i : 9;
	pkt->saddr.ip = htonl(by_port ? 0xc0000201 : 0x0a000000 + i);
	pkt->daddr.ip = htonl(0xc0000202);
}

enum bench_path { BENCH_TABLE, BENCH_LINEAR, BENCH_CLS };

/* ns per lookup of @pkt over about 10 ms, the best of 5 rounds. */
static u64 bench_lookups(const struct nfhook_table *t,
			 const struct nfhook_cls *cls,
			 const struct nfhook_pkt *pkt, enum bench_path path)
{
	u64 best = U64_MAX, start, now, n;
	unsigned int r, i;

	for (r = 0; r < 5; r++) {
		start = ktime_get_ns();
		n = 0;
		do {
			rcu_read_lock();
			for (i = 0; i < 16; i++) {
				if (path == BENCH_CLS)
					nfhook_cls_eval(cls, pkt, pkt->len);
				else if (path == BENCH_LINEAR)
					nfhook_table_eval_linear(t, pkt,
								 pkt->len);
				else
					nfhook_table_eval(t, pkt, pkt->len);
			}
			rcu_read_unlock();
			n += 16;
			now = ktime_get_ns();
		} while (now - start < 10 * NSEC_PER_MSEC);
		best = min(best, div64_u64(now - start, n));
	}
	return best;
}

#define BENCH_OPS	64

static u32 bench_random(u32 n)
{
	return get_random_u32() % n;
}

/*
 * Single updates of @t, each kind BENCH_OPS times, timed as a batch (a
 * guest's clock may tick in milliseconds); rules allocated beforehand.
 */
static int bench_updates(struct nfhook_table *t, bool by_port,
			 struct nfhook_rule **rules, u32 *where)
{
	static const char * const what[] = {
		"append", "insert at a random index",
		"insert at index 1 again and again (renumbering)",
	};
	const char *kind = by_port ? "dport" : "saddr";
	unsigned int i, k;
	u64 t0;

	for (k = 0; k < ARRAY_SIZE(what); k++) {
		for (i = 0; i < BENCH_OPS; i++) {
			rules[i] = bench_rule(by_port, 20000 + 100 * k + i);
			if (!rules[i])
				return -ENOMEM;
			where[i] = k == 0 ? NFHOOK_INDEX_APPEND :
				   k == 1 ? bench_random(t->count + i + 1) : 1;
		}
		t0 = ktime_get_ns();
		for (i = 0; i < BENCH_OPS; i++)
			nfhook_table_insert(t, rules[i], where[i]);
		t0 = ktime_get_ns() - t0;
		pr_info("clsbench: %s %u rules: %s: %llu ns each (mean of %u)\n",
			kind, t->count, what[k], div_u64(t0, BENCH_OPS),
			BENCH_OPS);
	}

	for (i = 0; i < BENCH_OPS; i++)
		rules[i] = nfhook_table_at(t, t->count / BENCH_OPS * i +
					   bench_random(t->count / BENCH_OPS));
	t0 = ktime_get_ns();
	for (i = 0; i < BENCH_OPS; i++)
		nfhook_table_remove(t, rules[i]);
	t0 = ktime_get_ns() - t0;
	for (i = 0; i < BENCH_OPS; i++)
		nfhook_rule_free_rcu(rules[i]);
	pr_info("clsbench: %s %u rules: delete: %llu ns each (mean of %u)\n",
		kind, t->count, div_u64(t0, BENCH_OPS), BENCH_OPS);
	return 0;
}

static int bench_run(struct nfhook_table *t, bool by_port,
		     struct nfhook_rule **rules, u32 *where)
{
	static const u32 sizes[] = { 1, 2, 4, 8, 16, 32, 100, 1000, 10000 };
	const char *kind = by_port ? "dport" : "saddr";
	u64 tl, tm, ll, lm, cl, cm, t0;
	struct nfhook_pkt last, middle;
	struct nfhook_rule *rule;
	struct nfhook_cls *cls;
	unsigned int s;

	nfhook_table_init(t);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		nfhook_table_bulk_begin(t);
		while (t->count < sizes[s]) {
			rule = bench_rule(by_port, t->count);
			if (!rule)
				return -ENOMEM;
			nfhook_table_insert(t, rule, NFHOOK_INDEX_APPEND);
		}
		t0 = ktime_get_ns();
		if (nfhook_table_bulk_end(t))
			return -ENOMEM;
		t0 = ktime_get_ns() - t0;
		bench_pkt(&last, by_port, t->count - 1);
		bench_pkt(&middle, by_port, t->count / 2);
		tl = bench_lookups(t, NULL, &last, BENCH_TABLE);
		tm = bench_lookups(t, NULL, &middle, BENCH_TABLE);
		ll = bench_lookups(t, NULL, &last, BENCH_LINEAR);
		lm = bench_lookups(t, NULL, &middle, BENCH_LINEAR);
		cls = nfhook_cls_build(&t->rules);
		if (!cls)
			return -ENOMEM;
		cl = bench_lookups(t, cls, &last, BENCH_CLS);
		cm = bench_lookups(t, cls, &middle, BENCH_CLS);
		pr_info("clsbench: %s %5u rules: table %llu / %llu, linear %llu / %llu, classifier %llu / %llu ns; %zu bytes (%zu per rule), built in %llu us\n",
			kind, t->count, tl, tm, ll, lm, cl, cm,
			nfhook_cls_bytes(cls),
			nfhook_cls_bytes(cls) / t->count, div_u64(t0, 1000));
		nfhook_cls_retire(cls);
	}
	return bench_updates(t, by_port, rules, where);
}

static int __init clsbench_init(void)
{
	struct nfhook_rule **rules;
	struct nfhook_table *t;
	int by_port, err = 0;
	u32 *where;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	where = kcalloc(BENCH_OPS, sizeof(*where), GFP_KERNEL);
	rules = kcalloc(BENCH_OPS, sizeof(*rules), GFP_KERNEL);
	if (!t || !where || !rules) {
		err = -ENOMEM;
		goto out;
	}
	pr_info("clsbench: ns per lookup, the rule found last / in the middle: the table, the linear walk, the classifier alone (best of 5 rounds of 10 ms)\n");
	for (by_port = 0; by_port < 2 && !err; by_port++) {
		err = bench_run(t, by_port, rules, where);
		nfhook_table_flush(t);
	}
	rcu_barrier();
	pr_info("clsbench: done (%d)\n", err);
out:
	kfree(rules);
	kfree(where);
	kfree(t);
	return err ? err : -EAGAIN;
}

module_init(clsbench_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfhook rule table measurements");
