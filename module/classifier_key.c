// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the classifier's shapes, keys and hashing (classifier.c says how
 * they are used): a rule is expanded into entries of a few shapes, and a
 * packet and an entry hash alike under a shape's masks.
 */

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "classifier_int.h"

/* Hashing *******************************************************************/

/* Equal for any two names strncmp(, , IFNAMSIZ) finds equal. */
static u32 cls_name_hash(const char *name)
{
	u32 h = 0x811c9dc5;
	unsigned int i;

	for (i = 0; i < IFNAMSIZ && name[i]; i++) {
		h ^= (u8)name[i];
		h *= 0x01000193;
	}
	return h;
}

/*
 * The hash of @k under @tp's shape and masks; false if @k cannot match any
 * rule of @tp (a device name in the shape but no device).  Rules and packets
 * go through this same function, so equal masked values hash equally.
 */
bool nfhook_cls_hash(const struct nfhook_cls_tuple *tp,
		     struct nfhook_cls_key *k, u32 seed, u32 *hash)
{
	u32 f = tp->shape.fields;
	u32 h = seed;

	if (f & NFHOOK_MATCH_SADDR)
		h = cls_mix_addr(h, k->saddr, &tp->smask, tp->swords);
	if (f & NFHOOK_MATCH_DADDR)
		h = cls_mix_addr(h, k->daddr, &tp->dmask, tp->dwords);
	if (f & NFHOOK_MATCH_L4PROTO)
		h = cls_mix(h, k->l4proto);
	if (f & NFHOOK_MATCH_SPORT)
		h = cls_mix(h, k->sport & tp->sport_mask);
	if (f & NFHOOK_MATCH_DPORT)
		h = cls_mix(h, k->dport & tp->dport_mask);
	if (f & NFHOOK_MATCH_ICMP_TYPE)
		h = cls_mix(h, k->icmp_type);
	if (f & NFHOOK_MATCH_ICMP_CODE)
		h = cls_mix(h, k->icmp_code);
	if (f & NFHOOK_MATCH_TCP_FLAGS)
		h = cls_mix(h, k->tcp_flags & tp->shape.tcp_mask);
	if (f & NFHOOK_MATCH_IIF) {
		if (!k->iif)
			return false;
		if (!k->iif_done) {
			k->iif_hash = cls_name_hash(k->iif);
			k->iif_done = true;
		}
		h = cls_mix(h, k->iif_hash);
	}
	if (f & NFHOOK_MATCH_OIF) {
		if (!k->oif)
			return false;
		if (!k->oif_done) {
			k->oif_hash = cls_name_hash(k->oif);
			k->oif_done = true;
		}
		h = cls_mix(h, k->oif_hash);
	}
	*hash = cls_final(h);
	return true;
}

void nfhook_cls_pkt_key(struct nfhook_cls_key *k, const struct nfhook_pkt *pkt)
{
	k->saddr = &pkt->saddr;
	k->daddr = &pkt->daddr;
	k->iif = pkt->in ? pkt->in->name : NULL;
	k->oif = pkt->out ? pkt->out->name : NULL;
	k->iif_done = false;
	k->oif_done = false;
	k->sport = pkt->sport;
	k->dport = pkt->dport;
	k->l4proto = pkt->l4proto;
	k->icmp_type = pkt->icmp_type;
	k->icmp_code = pkt->icmp_code;
	k->tcp_flags = pkt->tcp_flags;
}

/* The key of @m's entry @e. */
void nfhook_cls_rule_key(struct nfhook_cls_key *k, const struct nfhook_match *m,
			 const struct nfhook_cls_entry *e)
{
	k->saddr = &m->saddr;
	k->daddr = &m->daddr;
	k->iif = m->iifname;
	k->oif = m->oifname;
	k->iif_done = false;
	k->oif_done = false;
	k->sport = e->sport;
	k->dport = e->dport;
	k->l4proto = m->l4proto;
	k->icmp_type = m->icmp_type;
	k->icmp_code = m->icmp_code;
	k->tcp_flags = m->tcp_flags;
}

/* Rule expansion ************************************************************/

/*
 * The prefixes exactly covering [@lo, @hi]: the first @max of them go to
 * @val and @plen; returns how many there are (at most 30).
 */
static unsigned int cls_port_prefixes(u16 lo, u16 hi, u16 *val, u8 *plen,
				      unsigned int max)
{
	u32 a = lo, b = hi, size;
	unsigned int n = 0;

	while (a <= b) {
		/* The largest aligned block starting at @a inside the range. */
		size = a ? a & -a : 0x10000;
		while (a + size - 1 > b)
			size >>= 1;
		if (n < max) {
			val[n] = a;
			plen[n] = 16 - ilog2(size);
		}
		n++;
		a += size;
	}
	return n;
}

/* The entries of @m (at most NFHOOK_CLS_EXPAND_MAX) into @e; how many. */
unsigned int nfhook_cls_expand(const struct nfhook_match *m,
			       struct nfhook_cls_entry *e)
{
	u16 sval[NFHOOK_CLS_EXPAND_MAX], dval[NFHOOK_CLS_EXPAND_MAX];
	u8 splen[NFHOOK_CLS_EXPAND_MAX], dplen[NFHOOK_CLS_EXPAND_MAX];
	unsigned int ns = 1, nd = 1, i, j, n = 0;
	struct nfhook_cls_shape base;
	u32 f = m->fields;

	memset(&base, 0, sizeof(base));
	base.fields = f & NFHOOK_CLS_KEY_FIELDS &
		      ~(NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
			NFHOOK_MATCH_SPORT | NFHOOK_MATCH_DPORT |
			NFHOOK_MATCH_TCP_FLAGS);
	if ((f & NFHOOK_MATCH_SADDR) && m->sprefix) {
		base.fields |= NFHOOK_MATCH_SADDR;
		base.splen = m->sprefix;
	}
	if ((f & NFHOOK_MATCH_DADDR) && m->dprefix) {
		base.fields |= NFHOOK_MATCH_DADDR;
		base.dplen = m->dprefix;
	}
	if ((f & NFHOOK_MATCH_TCP_FLAGS) && m->tcp_flags_mask) {
		base.fields |= NFHOOK_MATCH_TCP_FLAGS;
		base.tcp_mask = m->tcp_flags_mask;
	}

	sval[0] = 0;
	splen[0] = 0;
	dval[0] = 0;
	dplen[0] = 0;
	if (f & NFHOOK_MATCH_SPORT)
		ns = cls_port_prefixes(m->sport_min, m->sport_max, sval, splen,
				       NFHOOK_CLS_EXPAND_MAX);
	if (f & NFHOOK_MATCH_DPORT)
		nd = cls_port_prefixes(m->dport_min, m->dport_max, dval, dplen,
				       NFHOOK_CLS_EXPAND_MAX);
	/* Too many: leave the port with more prefixes out of the key. */
	while (ns * nd > NFHOOK_CLS_EXPAND_MAX) {
		if (ns >= nd) {
			ns = 1;
			sval[0] = 0;
			splen[0] = 0;
		} else {
			nd = 1;
			dval[0] = 0;
			dplen[0] = 0;
		}
	}

	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			e[n].shape = base;
			if (splen[i]) {
				e[n].shape.fields |= NFHOOK_MATCH_SPORT;
				e[n].shape.sport_plen = splen[i];
			}
			if (dplen[j]) {
				e[n].shape.fields |= NFHOOK_MATCH_DPORT;
				e[n].shape.dport_plen = dplen[j];
			}
			e[n].sport = sval[i];
			e[n].dport = dval[j];
			n++;
		}
	}
	return n;
}

unsigned int nfhook_cls_set_of(const struct nfhook_rule *rule)
{
	return rule->action == NFHOOK_ACTION_COUNT ? NFHOOK_CLS_COUNT :
						     NFHOOK_CLS_FINAL;
}
