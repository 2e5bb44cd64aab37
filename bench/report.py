#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's BENCH lines (bench/guest.sh) into the benchmark's results.

    report.py BENCH-LINES PREFIX

writes PREFIX.txt (the table), PREFIX.json (every run, medians, ratios, the
derived per-packet costs, control plane and memory) and PREFIX.png (packet
rate against rule count, one line per system).

Ratios are taken round by round (the rows of one round ran back to back, so
a change in the machine's load between rounds cancels out) and the median
of those per-round ratios is shown with their minimum and maximum.
"""

import json
import statistics
import sys

REFS = [("nofilter", "x no filter"), ("nft-1", "x nft 1 rule"),
        ("limit", "x limit")]


def parse(path):
    info, rows, order, runs, bad, verify = {}, {}, [], {}, {}, {}
    ctl, mem = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.split()
            if len(w) < 3 or w[0] != "BENCH":
                continue
            kind = w[1]
            try:
                if kind == "info":
                    info[w[2]] = " ".join(w[3:])
                elif kind == "row":
                    rid = w[2]
                    rows[rid] = {"id": rid, "system": w[3].replace("_", " "),
                                 "rules": int(w[4]), "position": int(w[5]),
                                 "label": " ".join(w[6:])}
                    order.append(rid)
                elif kind == "run":
                    rnd, rid, pkts, usec = int(w[2]), w[3], int(w[4]), int(w[5])
                    drain = int(w[6]) if len(w) > 6 else 0
                    if usec + drain > 0:
                        runs.setdefault(rid, {})[rnd] = {
                            "round": rnd, "packets": pkts, "usec": usec,
                            "drain_usec": drain,
                            "pps": pkts * 1e6 / (usec + drain)}
                elif kind == "bad":
                    bad.setdefault(w[3], []).append(
                        {"round": int(w[2]), "reason": " ".join(w[4:])})
                elif kind == "verify":
                    verify[w[2]] = " ".join(w[3:])
                elif kind == "ctl":
                    ctl.append({"name": " ".join(w[2:-2]), "rules": int(w[-2]),
                                "seconds": float(w[-1])})
                elif kind == "mem":
                    mem.append({"system": w[2], "rules": int(w[3]),
                                "slab_percpu_vmalloc_kb": int(w[4]),
                                "memfree_drop_kb": int(w[5])})
            except (IndexError, ValueError):
                print(f"report: cannot read: {line.strip()}", file=sys.stderr)
    return info, rows, order, runs, bad, verify, ctl, mem


def spread(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def paired(runs, a, b, fn):
    """fn(run of a, run of b) for every round both a and b have."""
    ra, rb = runs.get(a, {}), runs.get(b, {})
    return [fn(ra[r], rb[r]) for r in sorted(ra) if r in rb]


def ns(run):
    return 1e9 / run["pps"]


def fmt_rate(v):
    return f"{v:,.0f}"


def fmt_ratio(s):
    if s is None:
        return "-"
    return f"{s['median']:.2f} ({s['min']:.2f}-{s['max']:.2f})"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py BENCH-LINES PREFIX")
    info, rows, order, runs, bad, verify, ctl, mem = parse(sys.argv[1])
    prefix = sys.argv[2]

    table = []
    for rid in order:
        r = dict(rows[rid])
        rr = runs.get(rid, {})
        r["runs"] = [rr[k] for k in sorted(rr)]
        r["bad_runs"] = bad.get(rid, [])
        r["verified"] = verify.get(rid, "no result")
        r["pps"] = spread([x["pps"] for x in r["runs"]])
        r["ns_per_packet"] = spread([ns(x) for x in r["runs"]])
        for ref, _ in REFS:
            r["ratio_" + ref.replace("-", "_")] = spread(
                paired(runs, rid, ref, lambda a, b: a["pps"] / b["pps"]))
        table.append(r)

    # Per-packet costs in the guest's nanoseconds, from pktgen's own
    # elapsed time (ktime) per packet, differences taken round by round.
    def diff(a, b, scale=1.0):
        return spread(paired(runs, a, b, lambda x, y: (ns(x) - ns(y)) * scale))

    derived = {
        "empty_hook_ns": {
            "value": diff("nfh-empty", "nfh-off", 0.5),
            "how": "(ns/packet with ten empty hooks - ten hooks disabled) / 2: "
                   "a packet delivered locally crosses two of them "
                   "(ipv4 prerouting, ipv4 input)"},
        "ten_empty_hooks_ns": {
            "value": diff("nfh-empty", "nfh-off"),
            "how": "ns/packet with ten empty hooks - ten hooks disabled"},
        "one_rule_ns": {
            "value": diff("nfh-1-miss", "nfh-empty"),
            "how": "ns/packet with one non-matching rule at prerouting - "
                   "ten empty hooks: evaluating one rule"},
        "nfhook_1_rule_drop_over_limit_ns": {
            "value": diff("nfh-1-last", "limit"),
            "how": "ns/packet dropped by one nfhook rule - dropped by ip_rcv "
                   "(foreign MAC): IP header checks, the hook, the rule"},
        "trace_running_ns": {
            "value": diff("trace", "nfh-1-last"),
            "how": "ns/packet with a trace running that selects nothing - "
                   "the same rule without a trace: the probes at prerouting "
                   "and the selector tried on each packet"},
        "nft_1_rule_drop_over_limit_ns": {
            "value": diff("nft-1", "limit"),
            "how": "the same for one nftables rule"},
    }
    e, o = derived["empty_hook_ns"]["value"], derived["one_rule_ns"]["value"]
    derived["hook_with_1_rule_ns"] = {
        "value": ({"median": e["median"] + o["median"]} if e and o else None),
        "how": "empty hook + one rule (medians added)"}

    result = {"info": info, "rows": table, "derived": derived,
              "control_plane": ctl, "memory": []}
    for m in mem:
        m = dict(m)
        m["bytes_per_rule"] = round(m["slab_percpu_vmalloc_kb"] * 1024 / m["rules"])
        m["memfree_bytes_per_rule"] = round(m["memfree_drop_kb"] * 1024 / m["rules"])
        result["memory"].append(m)

    with open(prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    lines = []
    lines.append(f"nfhook benchmark: kernel {info.get('kernel', '?')}, "
                 f"{info.get('cpus', '?')} vCPUs ({info.get('cpu', '?')}), "
                 f"{info.get('rounds', '?')} interleaved rounds, "
                 f"{info.get('mode', '?')} per run")
    lines.append(f"nfhook {info.get('nfhook', '?')}; {info.get('nft', '?')}; "
                 f"{info.get('iptables', '?')}")
    lines.append("64-byte UDP frames from pktgen through a veth into the row's "
                 "namespace; dropped at prerouting unless the row says otherwise.")
    lines.append("pps: median (min-max) of the rounds; ratios: median "
                 "(min-max) of per-round ratios. TCG guest: compare ratios, "
                 "not rates.")
    lines.append("")
    w = max([len(r["label"]) for r in table] + [10])
    head = (f"{'row':<{w}}  {'runs':>4}  {'pps median':>10}  {'pps min-max':>17}"
            f"  {'ns/pkt':>7}")
    for _, name in REFS:
        head += f"  {name:>18}"
    lines.append(head)
    lines.append("-" * len(head))
    for r in table:
        p = r["pps"]
        runs_s = f"{len(r['runs'])}" + ("!" if r["bad_runs"] else "")
        if p:
            s = (f"{r['label']:<{w}}  {runs_s:>4}  {fmt_rate(p['median']):>10}  "
                 f"{fmt_rate(p['min']) + '-' + fmt_rate(p['max']):>17}  "
                 f"{1e9 / p['median']:>7,.0f}")
        else:
            s = f"{r['label']:<{w}}  {runs_s:>4}  {'-':>10}  {'-':>17}  {'-':>7}"
        for ref, _ in REFS:
            s += f"  {fmt_ratio(r['ratio_' + ref.replace('-', '_')]):>18}"
        lines.append(s)
    if any(r["bad_runs"] for r in table):
        lines.append("")
        lines.append("runs left out (their counters did not add up):")
        for r in table:
            for b in r["bad_runs"]:
                lines.append(f"  {r['id']} round {b['round']}: {b['reason']}")
    lines.append("")
    lines.append("Per-packet cost (guest ns, from pktgen's elapsed time per "
                 "packet; median (min-max) over rounds):")
    for key, d in derived.items():
        v = d["value"]
        if v is None:
            vs = "-"
        elif "min" in v:
            vs = f"{v['median']:,.0f} ({v['min']:,.0f} to {v['max']:,.0f})"
        else:
            vs = f"{v['median']:,.0f}"
        lines.append(f"  {key:<34} {vs:>24}   {d['how']}")
    if ctl:
        lines.append("")
        lines.append("Control plane (wall time in the guest):")
        for c in ctl:
            per = c["seconds"] / c["rules"] * 1000 if c["rules"] else 0
            lines.append(f"  {c['name']:<44} {c['rules']:>6} rules  "
                         f"{c['seconds']:>8.3f} s  ({per:.3f} ms/rule)")
    if result["memory"]:
        lines.append("")
        lines.append("Memory per rule (kernel's accounting, /proc/meminfo "
                     "SUnreclaim+Percpu+VmallocUsed before and after loading; "
                     "MemFree drop for comparison):")
        for m in result["memory"]:
            lines.append(f"  {m['system']:<16} {m['rules']:>6} rules  "
                         f"{m['slab_percpu_vmalloc_kb']:>7} KiB  "
                         f"{m['bytes_per_rule']:>6} B/rule  "
                         f"(MemFree: {m['memfree_bytes_per_rule']} B/rule)")
            own = info.get("nfhook_rules_bytes", "")
            if m["system"] == "nfhook" and own.isdigit() and m["rules"]:
                lines.append(f"  {'':<16} nfhookctl info rules_bytes: "
                             f"{int(own) // 1024} KiB, "
                             f"{round(int(own) / m['rules'])} B/rule")
    bad_rows = [r["id"] for r in table if r["verified"] != "PASS"]
    others = [k for k, v in verify.items() if k not in rows and v != "PASS"]
    lines.append("")
    lines.append("verification: " + ("every row's counters matched every packet sent"
                                     if not bad_rows and not others else
                                     "FAILED for " + " ".join(bad_rows + others)))
    text = "\n".join(lines) + "\n"
    with open(prefix + ".txt", "w", encoding="utf-8") as f:
        f.write(text)

    chart(table, info, prefix + ".png")


def chart(table, info, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: no matplotlib (python3-matplotlib): no chart", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(9, 5.5))
    lines = {}
    flat = []
    for r in table:
        if not r["pps"]:
            continue
        if r["rules"] >= 1 and r["system"] not in ("XDP",) and r["id"] != "nfh-1-miss":
            lines.setdefault(r["system"], []).append(r)
        else:
            flat.append(r)
    markers = "osD^v<>"
    for i, (system, rs) in enumerate(sorted(lines.items())):
        rs.sort(key=lambda r: r["rules"])
        x = [r["rules"] for r in rs]
        y = [r["pps"]["median"] for r in rs]
        lo = [r["pps"]["median"] - r["pps"]["min"] for r in rs]
        hi = [r["pps"]["max"] - r["pps"]["median"] for r in rs]
        ax.errorbar(x, y, yerr=[lo, hi], marker=markers[i % len(markers)],
                    capsize=3, label=system)
    styles = [":", "--", "-."]
    for i, r in enumerate(flat):
        ax.axhline(r["pps"]["median"], linestyle=styles[i % len(styles)],
                   linewidth=1, color=f"C{(i + len(lines)) % 10}",
                   label=r["label"])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rules (the matching one last, or in the middle)")
    ax.set_ylabel("packets per second dropped or delivered (median)")
    ax.set_title(f"64-byte UDP into a veth, kernel {info.get('kernel', '?')} "
                 "(TCG guest: compare, don't quote)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
