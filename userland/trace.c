// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl trace`, what it prints (trace_run.c runs it).  The kernel reports, per packet, each hook point it
 * crossed and how far it got in the last one (every hook below a priority
 * ran), plus the hook that dropped it when it can tell.  The hooks the
 * packet passed are named here from a pipeline read before the trace
 * began: a hook registered later shows only when it is the one that
 * dropped the packet.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "format.h"
#include "names.h"
#include "trace.h"
#include "util.h"

static const char *const result_names[] = {
	[NFHOOK_TRACE_RESULT_PASSED]		= "passed",
	[NFHOOK_TRACE_RESULT_DROPPED]		= "dropped",
	[NFHOOK_TRACE_RESULT_STACK_DROPPED]	= "stack_dropped",
	[NFHOOK_TRACE_RESULT_VANISHED]		= "vanished",
};

static const char *const verdict_names[] = {
	[NFHOOK_TRACE_VERDICT_ACCEPT]		= "accept",
	[NFHOOK_TRACE_VERDICT_RULE_DROP]	= "rule_drop",
	[NFHOOK_TRACE_VERDICT_POLICY_DROP]	= "policy_drop",
	[NFHOOK_TRACE_VERDICT_FRAGMENT_DROP]	= "fragment_drop",
};

/* Why nfhook's own hook dropped it, in words. */
static const char *const verdict_words[] = {
	[NFHOOK_TRACE_VERDICT_RULE_DROP]	= "a rule",
	[NFHOOK_TRACE_VERDICT_POLICY_DROP]	= "the hook's policy",
	[NFHOOK_TRACE_VERDICT_FRAGMENT_DROP]	= "a tiny fragment",
};

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : NULL;
}

/* A hook in a few words: "nft inet/filter/input", "conntrack", "nfhook". */
static void short_what(const struct nfh_pipe_entry *e, char *buf, size_t size)
{
	const char *fam = nfh_nft_family_name(e->table_family);
	const char *kind = nfh_pipe_kind_name(e->kind);

	switch (e->kind) {
	case NFHOOK_PIPE_KIND_NFTABLES:
		if (e->chain[0]) {
			snprintf(buf, size, "nft %s/%s/%s", fam ? fam : "?",
				 e->table, e->chain);
			return;
		}
		break;
	case NFHOOK_PIPE_KIND_IPTABLES:
		snprintf(buf, size, "%s%s%s",
			 e->family == NFPROTO_IPV6 ? "ip6tables" : "iptables",
			 e->table[0] ? " " : "", e->table);
		return;
	case NFHOOK_PIPE_KIND_UNKNOWN:
		if (e->function[0]) {
			snprintf(buf, size, "%s", e->function);
			return;
		}
		break;
	}
	snprintf(buf, size, "%s", kind ? kind : "?");
}

static bool entry_at(const struct nfh_pipe_entry *e, uint32_t family,
		     uint32_t hook)
{
	return e->family == family && e->hook == hook &&
	       e->kind != NFHOOK_PIPE_KIND_TRACE;
}

/*
 * Who stopped the packet at step @s, or NULL.  The kernel names the first
 * hook after the last probe the packet passed; when nfhook's own verdict
 * was a drop, nfhook dropped it, even if another hook shares its priority
 * (and comes first), so nfhook's hook is taken from @pl.
 */
static const struct nfh_pipe_entry *
step_dropper(const struct nfh_trace_event *ev, const struct nfh_trace_step *s,
	     const struct nfh_pipeline *pl)
{
	size_t i;

	if (s->result == NFHOOK_TRACE_RESULT_DROPPED &&
	    s->verdict >= NFHOOK_TRACE_VERDICT_RULE_DROP) {
		for (i = 0; i < pl->n; i++)
			if (entry_at(&pl->entries[i], ev->family, s->hook) &&
			    pl->entries[i].ours)
				return &pl->entries[i];
	}
	return s->has_dropper ? &s->dropper : NULL;
}

/*
 * Whether the hook point of @s ran @e: below the priority it reached, or
 * before @d, the hook that stopped it, when that is one of the pipeline's.
 */
static bool step_passed(const struct nfh_trace_step *s,
			const struct nfh_pipe_entry *e,
			const struct nfh_pipe_entry *d)
{
	if (d && d != &s->dropper)
		return e->position < d->position;
	return !s->has_priority || e->priority < s->priority;
}

static void packet_text(const struct nfh_trace_event *ev, bool numeric,
			char *buf, size_t size)
{
	const struct nfh_rule *p = &ev->pkt;
	char src[64], dst[64], proto[32], extra[64] = "";
	const char *icmp;

	nfh_format_addr(ev->family, p->saddr, 128, src, sizeof(src));
	nfh_format_addr(ev->family, p->daddr, 128, dst, sizeof(dst));
	nfh_format_proto(p->proto, numeric, proto, sizeof(proto));
	if (p->fields & NFH_R_SPORT) {
		snprintf(buf, size, "%s %s %s:%u > %s:%u", nfh_family_name(ev->family),
			 proto, src, p->sport_min, dst, p->dport_min);
	} else {
		snprintf(buf, size, "%s %s %s > %s", nfh_family_name(ev->family),
			 proto, src, dst);
	}
	if (p->fields & NFH_R_ICMP_TYPE) {
		icmp = numeric ? NULL : nfh_icmp_type_name(ev->family,
							   p->icmp_type);
		if (icmp)
			snprintf(extra, sizeof(extra), " %s", icmp);
		else
			snprintf(extra, sizeof(extra), " type %u code %u",
				 p->icmp_type, p->icmp_code);
	} else if (p->fields & NFH_R_TCP_FLAGS) {
		char flags[48];

		nfh_format_tcp_flags(p->tcp_flags, 0xff, flags, sizeof(flags));
		/* "syn,ack/fin,syn,...": the set flags are before the slash. */
		flags[strcspn(flags, "/")] = '\0';
		snprintf(extra, sizeof(extra), " [%s]", flags);
	}
	snprintf(buf + strlen(buf), size - strlen(buf), "%s len %u", extra,
		 p->len_min);
}

/* The hooks of step @s: those it passed, then the one that stopped it. */
static void step_text(FILE *f, const struct nfh_trace_event *ev,
		      const struct nfh_trace_step *s,
		      const struct nfh_pipeline *pl)
{
	const struct nfh_pipe_entry *d = step_dropper(ev, s, pl);
	const struct nfh_pipe_entry *e;
	const char *sep = "";
	char what[1200];
	size_t i;

	fprintf(f, " %s(", nfh_hook_name(s->hook) ? nfh_hook_name(s->hook) :
		"?");
	for (i = 0; i < pl->n; i++) {
		e = &pl->entries[i];
		if (!entry_at(e, ev->family, s->hook) || !step_passed(s, e, d))
			continue;
		short_what(e, what, sizeof(what));
		fprintf(f, "%s%d %s", sep, (int)e->priority, what);
		sep = ", ";
	}
	if (d) {
		short_what(d, what, sizeof(what));
		fprintf(f, "%s%d %s %s", sep, (int)d->priority, what,
			s->result == NFHOOK_TRACE_RESULT_DROPPED ? "DROP" : "STOLEN?");
	}
	fputc(')', f);
}

/*
 * Whether @e could have dropped what @d, the kernel's dropper, is said to
 * have: same hook point and priority.  Not nfhook's own hook, which tells
 * its drops itself (step_dropper()).
 */
static bool shares_priority(const struct nfh_pipe_entry *e,
			    const struct nfh_trace_event *ev,
			    const struct nfh_trace_step *s,
			    const struct nfh_pipe_entry *d)
{
	return entry_at(e, ev->family, s->hook) && !e->ours &&
	       e->priority == d->priority;
}

/*
 * How many hooks of the listing share the priority of @d, the kernel's
 * dropper, at its hook point: probes go between priorities, so a drop by
 * any of them looks the same.  0 when @d is nfhook's by its own verdict.
 */
static size_t same_priority(const struct nfh_trace_event *ev,
			    const struct nfh_trace_step *s,
			    const struct nfh_pipe_entry *d,
			    const struct nfh_pipeline *pl)
{
	size_t i, n = 0;

	if (d != &s->dropper)
		return 0;
	for (i = 0; i < pl->n; i++)
		if (shares_priority(&pl->entries[i], ev, s, d))
			n++;
	return n;
}

/* ", A, B": the hooks at @d's priority, for a drop any of them made. */
static void same_priority_text(FILE *f, const struct nfh_trace_event *ev,
			       const struct nfh_trace_step *s,
			       const struct nfh_pipe_entry *d,
			       const struct nfh_pipeline *pl)
{
	const char *sep = "";
	char what[1200];
	size_t i;

	for (i = 0; i < pl->n; i++) {
		if (!shares_priority(&pl->entries[i], ev, s, d))
			continue;
		nfh_pipe_what(&pl->entries[i], what, sizeof(what));
		fprintf(f, "%s%s", sep, what);
		sep = " or ";
	}
}

/* How the packet ended, after "=> ". */
static void outcome_text(FILE *f, const struct nfh_trace_event *ev,
			 const struct nfh_trace_step *s,
			 const struct nfh_pipe_entry *d,
			 const struct nfh_pipeline *pl)
{
	const char *hook = nfh_hook_name(s->hook) ? nfh_hook_name(s->hook) : "?";
	const char *why = name_of(verdict_words, NFH_ARRAY_SIZE(verdict_words),
				  s->verdict);
	char what[1200];

	if (d)
		nfh_pipe_what(d, what, sizeof(what));
	switch (s->result) {
	case NFHOOK_TRACE_RESULT_PASSED:
		if (s->hook == NF_INET_LOCAL_IN)
			fputs("delivered locally", f);
		else if (s->hook == NF_INET_POST_ROUTING && s->oif[0])
			fprintf(f, "sent out via %s", s->oif);
		else if (s->hook == NF_INET_POST_ROUTING)
			fputs("sent out", f);
		else
			fprintf(f, "passed %s (no more steps followed)", hook);
		break;
	case NFHOOK_TRACE_RESULT_DROPPED:
		if (d && same_priority(ev, s, d, pl) > 1) {
			fputs("DROP by ", f);
			same_priority_text(f, ev, s, d, pl);
			fprintf(f, " at %s, priority %d (they share it: a trace cannot tell which)",
				hook, (int)d->priority);
		} else if (d)
			fprintf(f, "DROP by %s at %s, priority %d", what, hook,
				(int)d->priority);
		else
			fprintf(f, "DROP at %s, after priority %d", hook,
				(int)s->priority);
		if (why)
			fprintf(f, " (%s)", why);
		else if (s->reason[0] && strcmp(s->reason, "NETFILTER_DROP"))
			fprintf(f, " (%s)", s->reason);
		break;
	case NFHOOK_TRACE_RESULT_STACK_DROPPED:
		fprintf(f, "dropped by the stack after %s%s%s", hook,
			s->reason[0] ? ": " : "", s->reason);
		break;
	case NFHOOK_TRACE_RESULT_VANISHED:
		if (d)
			fprintf(f, "vanished at %s in %s, priority %d (stolen, or dropped unseen)",
				hook, what, (int)d->priority);
		else if (s->has_priority)
			fprintf(f, "vanished at %s after priority %d", hook,
				(int)s->priority);
		else
			fprintf(f, "vanished after %s (stolen, or dropped unseen)",
				hook);
		break;
	default:
		fputs("?", f);
	}
}

static void print_verbose_step(FILE *f, const struct nfh_trace_event *ev,
			       const struct nfh_trace_step *s,
			       const struct nfh_pipeline *pl, uint64_t t0)
{
	const struct nfh_pipe_entry *d = step_dropper(ev, s, pl);
	const struct nfh_pipe_entry *e;
	size_t i;

	fprintf(f, "  +%.6f %s", (double)(s->time_ns - t0) / 1e9,
		nfh_hook_name(s->hook) ? nfh_hook_name(s->hook) : "?");
	if (s->iif[0])
		fprintf(f, " in %s", s->iif);
	if (s->oif[0])
		fprintf(f, " out %s", s->oif);
	fputc('\n', f);
	for (i = 0; i < pl->n; i++) {
		e = &pl->entries[i];
		if (!entry_at(e, ev->family, s->hook) || !step_passed(s, e, d))
			continue;
		fprintf(f, "      %6d %-10s %s%s%s%s\n", (int)e->priority,
			nfh_pipe_kind_name(e->kind), e->function,
			e->module[0] ? " [" : "", e->module,
			e->module[0] ? "]" : "");
	}
	if (d) {
		e = d;
		fprintf(f, "      %6d %-10s %s%s%s%s  <- %s\n", (int)e->priority,
			nfh_pipe_kind_name(e->kind), e->function,
			e->module[0] ? " [" : "", e->module,
			e->module[0] ? "]" : "",
			s->result == NFHOOK_TRACE_RESULT_DROPPED ? "DROP" : "last seen");
	}
}

void nfh_trace_print(struct nfh_out *o, const struct nfh_trace_event *ev,
		     const struct nfh_pipeline *pl, bool verbose)
{
	const struct nfh_trace_step *last = &ev->steps[ev->nsteps - 1];
	char pkt[256];
	unsigned int i;

	packet_text(ev, o->numeric, pkt, sizeof(pkt));
	if (ev->lost)
		fprintf(o->f, "(%" PRIu32 " packets lost before this one)\n",
			ev->lost);
	if (verbose) {
		fprintf(o->f, "packet %" PRIu64 " (trace %" PRIu32 "): %s\n",
			ev->packet_id, ev->trace_id, pkt);
		for (i = 0; i < ev->nsteps; i++)
			print_verbose_step(o->f, ev, &ev->steps[i], pl,
					   ev->steps[0].time_ns);
		fputs("  => ", o->f);
	} else {
		fprintf(o->f, "%" PRIu64 " %s:", ev->packet_id, pkt);
		for (i = 0; i < ev->nsteps; i++)
			step_text(o->f, ev, &ev->steps[i], pl);
		fputs(" => ", o->f);
	}
	outcome_text(o->f, ev, last, step_dropper(ev, last, pl), pl);
	fputc('\n', o->f);
}

static void print_json_entry(struct nfh_out *o, const char *key,
			     const struct nfh_pipe_entry *e)
{
	const char *kind = nfh_pipe_kind_name(e->kind);
	const char *tfam = nfh_nft_family_name(e->table_family);

	nfh_out_obj_begin(o, key);
	nfh_print_s64(o, NFH_PRINT_JSON, "priority", NULL, e->priority, NULL);
	nfh_print_str(o, NFH_PRINT_JSON, "kind", NULL, kind ? kind : "unknown");
	nfh_print_str(o, NFH_PRINT_JSON, "function", NULL, e->function);
	nfh_print_str(o, NFH_PRINT_JSON, "module", NULL, e->module);
	if (e->table[0])
		nfh_print_str(o, NFH_PRINT_JSON, "table", NULL, e->table);
	if (e->chain[0])
		nfh_print_str(o, NFH_PRINT_JSON, "chain", NULL, e->chain);
	if (tfam)
		nfh_print_str(o, NFH_PRINT_JSON, "table_family", NULL, tfam);
	nfh_out_obj_end(o);
}

static void print_json_step(struct nfh_out *o, const struct nfh_trace_event *ev,
			    const struct nfh_trace_step *s,
			    const struct nfh_pipeline *pl)
{
	const struct nfh_pipe_entry *d = step_dropper(ev, s, pl);
	const char *result = name_of(result_names, NFH_ARRAY_SIZE(result_names),
				     s->result);
	const char *verdict = name_of(verdict_names,
				      NFH_ARRAY_SIZE(verdict_names),
				      s->verdict);
	size_t i;

	nfh_out_row_begin(o);
	nfh_print_str(o, NFH_PRINT_JSON, "hook", NULL,
		      nfh_hook_name(s->hook) ? nfh_hook_name(s->hook) : "?");
	nfh_print_str(o, NFH_PRINT_JSON, "result", NULL,
		      result ? result : "unknown");
	nfh_print_u64(o, NFH_PRINT_JSON, "time_ns", NULL, s->time_ns, NULL);
	if (s->has_priority)
		nfh_print_s64(o, NFH_PRINT_JSON, "priority", NULL, s->priority,
			      NULL);
	if (verdict)
		nfh_print_str(o, NFH_PRINT_JSON, "nfhook_verdict", NULL,
			      verdict);
	if (s->iif[0])
		nfh_print_str(o, NFH_PRINT_JSON, "iif", NULL, s->iif);
	if (s->oif[0])
		nfh_print_str(o, NFH_PRINT_JSON, "oif", NULL, s->oif);
	if (s->reason[0])
		nfh_print_str(o, NFH_PRINT_JSON, "reason", NULL, s->reason);
	nfh_out_list_begin(o, "passed");
	for (i = 0; i < pl->n; i++) {
		if (!entry_at(&pl->entries[i], ev->family, s->hook) ||
		    !step_passed(s, &pl->entries[i], d))
			continue;
		nfh_out_row_begin(o);
		nfh_print_s64(o, NFH_PRINT_JSON, "priority", NULL,
			      pl->entries[i].priority, NULL);
		nfh_print_str(o, NFH_PRINT_JSON, "kind", NULL,
			      nfh_pipe_kind_name(pl->entries[i].kind));
		nfh_print_str(o, NFH_PRINT_JSON, "function", NULL,
			      pl->entries[i].function);
		nfh_out_row_end(o);
	}
	nfh_out_list_end(o);
	if (d)
		print_json_entry(o, "stopped_by", d);
	if (d && same_priority(ev, s, d, pl) > 1)
		nfh_print_u64(o, NFH_PRINT_JSON, "same_priority", NULL,
			      same_priority(ev, s, d, pl), NULL);
	nfh_out_row_end(o);
}

static void print_json_packet(struct nfh_out *o,
			      const struct nfh_trace_event *ev)
{
	const struct nfh_rule *p = &ev->pkt;
	char buf[64];

	nfh_out_obj_begin(o, "packet_info");
	nfh_print_str(o, NFH_PRINT_JSON, "family", NULL,
		      nfh_family_name(ev->family) ? nfh_family_name(ev->family) :
		      "?");
	nfh_format_addr(ev->family, p->saddr, 128, buf, sizeof(buf));
	nfh_print_str(o, NFH_PRINT_JSON, "saddr", NULL, buf);
	nfh_format_addr(ev->family, p->daddr, 128, buf, sizeof(buf));
	nfh_print_str(o, NFH_PRINT_JSON, "daddr", NULL, buf);
	nfh_print_u64(o, NFH_PRINT_JSON, "proto", NULL, p->proto, NULL);
	if (p->fields & NFH_R_SPORT) {
		nfh_print_u64(o, NFH_PRINT_JSON, "sport", NULL, p->sport_min,
			      NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "dport", NULL, p->dport_min,
			      NULL);
	}
	if (p->fields & NFH_R_ICMP_TYPE) {
		nfh_print_u64(o, NFH_PRINT_JSON, "icmp_type", NULL,
			      p->icmp_type, NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "icmp_code", NULL,
			      p->icmp_code, NULL);
	}
	nfh_print_u64(o, NFH_PRINT_JSON, "len", NULL, p->len_min, NULL);
	if (p->fields & NFH_R_CT_STATE) {
		nfh_format_ct_state(p->ct_state, buf, sizeof(buf));
		nfh_print_str(o, NFH_PRINT_JSON, "ct_state", NULL, buf);
	}
	nfh_out_obj_end(o);
}

void nfh_trace_print_json(struct nfh_out *o, const struct nfh_trace_event *ev,
			  const struct nfh_pipeline *pl)
{
	unsigned int i;

	/* Each packet is a JSON document of its own: no comma before it. */
	o->first[0] = true;
	nfh_out_obj_begin(o, NULL);
	nfh_print_u64(o, NFH_PRINT_JSON, "trace", NULL, ev->trace_id, NULL);
	nfh_print_u64(o, NFH_PRINT_JSON, "packet", NULL, ev->packet_id, NULL);
	nfh_print_u64(o, NFH_PRINT_JSON, "lost", NULL, ev->lost, NULL);
	print_json_packet(o, ev);
	nfh_out_list_begin(o, "steps");
	for (i = 0; i < ev->nsteps; i++)
		print_json_step(o, ev, &ev->steps[i], pl);
	nfh_out_list_end(o);
	nfh_out_obj_end(o);	/* and its newline */
}
