/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhookctl: types and functions shared by its source files.
 *
 * The pure parts (parse.c, format.c, output.c, saverestore.c, cmdline.c,
 * msg.c) never touch a socket and never exit: they report failures through
 * struct nfh_err, so the host unit tests in tests/unit drive them directly.
 * netlink.c talks to the kernel; nfhookctl.c runs the commands.
 */
#ifndef NFHOOKCTL_H
#define NFHOOKCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <linux/nfhook.h>

#ifndef VERSION
#define VERSION "unknown"
#endif

#define NFH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A failure: one line naming the problem, and the usage line that applies. */
struct nfh_err {
	char msg[512];
	const char *usage;	/* NULL: no usage line to show */
};

/* Sets the message (printf-style) and returns -1, for "return nfh_fail()". */
int nfh_fail(struct nfh_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Which parts of struct nfh_rule are set: bits of nfh_rule.fields. */
enum nfh_rule_field {
	NFH_R_ID	= 1u << 0,
	NFH_R_INDEX	= 1u << 1,
	NFH_R_SADDR	= 1u << 2,
	NFH_R_DADDR	= 1u << 3,
	NFH_R_PROTO	= 1u << 4,
	NFH_R_SPORT	= 1u << 5,
	NFH_R_DPORT	= 1u << 6,
	NFH_R_ICMP_TYPE	= 1u << 7,
	NFH_R_ICMP_CODE	= 1u << 8,
	NFH_R_IIF	= 1u << 9,
	NFH_R_OIF	= 1u << 10,
	NFH_R_LEN	= 1u << 11,
	NFH_R_LEN_MAX	= 1u << 12,	/* with NFH_R_LEN: an upper bound */
	NFH_R_TCP_FLAGS	= 1u << 13,
	NFH_R_COMMENT	= 1u << 14,
	NFH_R_COUNTERS	= 1u << 15,
	NFH_R_ACTION	= 1u << 16,
};

/*
 * A rule as the user wrote it or the kernel reported it.  Addresses are in
 * network byte order (4 bytes used for ipv4), already masked with their
 * prefix; port and length ranges are inclusive.
 */
struct nfh_rule {
	unsigned int fields;
	unsigned int line;		/* restore: line it came from */
	uint32_t id;
	uint32_t family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	uint32_t hook;			/* NF_INET_PRE_ROUTING .. */
	uint32_t index;
	uint32_t action;		/* enum nfhook_action */
	uint8_t saddr[16], daddr[16];
	uint8_t sprefix, dprefix;
	uint8_t proto;
	uint16_t sport_min, sport_max;
	uint16_t dport_min, dport_max;
	uint8_t icmp_type, icmp_code;
	uint8_t tcp_flags, tcp_mask;
	uint32_t len_min, len_max;
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	char comment[NFHOOK_COMMENT_SIZE];
	uint64_t packets, bytes;
};

/* Bits of nfh_hook.fields. */
enum nfh_hook_field {
	NFH_H_PRIORITY	= 1u << 0,
	NFH_H_ENABLED	= 1u << 1,
	NFH_H_POLICY	= 1u << 2,
	NFH_H_RULES	= 1u << 3,
	NFH_H_COUNTERS	= 1u << 4,
};

/* Hook counters, in the order of NFHOOK_COUNTERS_A_PACKETS onwards. */
enum nfh_hook_counter {
	NFH_C_PACKETS,
	NFH_C_BYTES,
	NFH_C_ACCEPTED_PACKETS,
	NFH_C_ACCEPTED_BYTES,
	NFH_C_RULE_DROPPED_PACKETS,
	NFH_C_RULE_DROPPED_BYTES,
	NFH_C_POLICY_DROPPED_PACKETS,
	NFH_C_POLICY_DROPPED_BYTES,
	NFH_C_FRAGMENT_DROPPED_PACKETS,
	NFH_C_FRAGMENT_DROPPED_BYTES,
	NFH_C_COUNT
};

struct nfh_hook {
	unsigned int fields;
	unsigned int line;		/* restore: line it came from */
	uint32_t family, hook;
	int32_t priority;
	bool enabled;
	uint32_t policy;		/* NFHOOK_ACTION_ACCEPT or _DROP */
	uint32_t rules;
	uint64_t counters[NFH_C_COUNT];
};

/* What `nfhookctl info` shows (INFO_GET reply). */
struct nfh_info {
	char version[64];
	uint32_t max_rules, rule_count;
	int32_t default_priority;
	bool has_max_rules, has_rule_count, has_default_priority;
};

/* A whole ruleset: what save writes and restore reads. */
struct nfh_ruleset {
	struct nfh_hook *hooks;
	size_t nhooks, hooks_cap;
	struct nfh_rule *rules;
	size_t nrules, rules_cap;
};

/* ---- parse.c: names, numbers and the words of a rule ------------------- */

const char *nfh_family_name(uint32_t family);	/* NULL if unknown */
const char *nfh_hook_name(uint32_t hook);
const char *nfh_action_name(uint32_t action);
int nfh_parse_family(const char *s, uint32_t *family, struct nfh_err *e);
int nfh_parse_hook(const char *s, uint32_t *hook, struct nfh_err *e);
/* Decimal only, no sign, no blanks, within [0, max]. */
int nfh_parse_uint(const char *what, const char *s, uint64_t max,
		   uint64_t *v, struct nfh_err *e);
/* A number (-300) or a name with an optional offset (filter+10). */
int nfh_parse_priority(const char *s, int32_t *prio, struct nfh_err *e);
/* ADDR[/LEN] of @family into 16 bytes (masked) and a prefix length. */
int nfh_parse_addr(const char *what, const char *s, uint32_t family,
		   uint8_t addr[16], uint8_t *prefix, struct nfh_err *e);
int nfh_parse_port_range(const char *what, const char *s,
			 uint16_t *min, uint16_t *max, struct nfh_err *e);
int nfh_parse_proto(const char *s, uint8_t *proto, struct nfh_err *e);
int nfh_parse_icmp_type(const char *s, uint32_t family, uint8_t *type,
			struct nfh_err *e);
int nfh_parse_len(const char *s, uint32_t *min, uint32_t *max, bool *has_max,
		  struct nfh_err *e);
int nfh_parse_tcp_flags(const char *s, uint8_t *flags, uint8_t *mask,
			struct nfh_err *e);
int nfh_parse_ifname(const char *what, const char *s, char name[IFNAMSIZ],
		     struct nfh_err *e);

/* Where a rule's words come from: where counters and index are allowed. */
enum nfh_rule_ctx {
	NFH_RULE_CTX_ADD,	/* rule add: index allowed, counters not */
	NFH_RULE_CTX_RESTORE,	/* restore file: counters allowed, index not */
};

/*
 * Parses FAMILY HOOK [MATCH ...] ACTION [index N] [comment TEXT]
 * [counters packets N bytes N] into a zeroed @r, then checks that the
 * matches fit together (ports need tcp/udp/udplite/sctp, ...).
 */
int nfh_rule_parse(struct nfh_rule *r, int argc, char **argv,
		   enum nfh_rule_ctx ctx, struct nfh_err *e);
/* FAMILY HOOK [priority N] [policy accept|drop] [enable|disable] */
int nfh_hook_parse(struct nfh_hook *h, int argc, char **argv,
		   bool need_setting, struct nfh_err *e);
bool nfh_rule_equal(const struct nfh_rule *a, const struct nfh_rule *b);
bool nfh_hook_equal(const struct nfh_hook *a, const struct nfh_hook *b);

/* Well-known priorities, ascending. */
struct nfh_prio_name {
	const char *name;
	int32_t value;
};
#define NFH_NPRIO_NAMES 7
extern const struct nfh_prio_name nfh_prio_names[NFH_NPRIO_NAMES];

struct nfh_icmp_name {
	const char *name;
	uint8_t type;
};
const char *nfh_icmp_type_name(uint32_t family, uint8_t type);
const char *nfh_proto_name(uint8_t proto);	/* NULL if no name */
/* fin syn rst psh ack urg ece cwr: bit 0 to 7 */
extern const char *const nfh_tcp_flag_names[8];

/* ---- format.c: back to words and units --------------------------------- */

enum nfh_fmt_flags {
	NFH_FMT_NUMERIC		= 1u << 0,	/* numbers, not names */
	NFH_FMT_COUNTERS	= 1u << 1,	/* append counters packets N bytes N */
	NFH_FMT_INDEX		= 1u << 2,	/* append index N when set */
};

/* "filter+10", "raw", "-1000"; numeric: "10".  @buf of 32 bytes. */
const char *nfh_format_priority(int32_t prio, bool numeric, char *buf,
				size_t size);
void nfh_format_addr(uint32_t family, const uint8_t addr[16], uint8_t prefix,
		     char *buf, size_t size);
const char *nfh_format_proto(uint8_t proto, bool numeric, char *buf,
			     size_t size);
/* "syn", "syn/syn,ack", "none/syn" */
void nfh_format_tcp_flags(uint8_t flags, uint8_t mask, char *buf, size_t size);
/* Writes @s as one restore-file word, quoted and escaped when needed. */
void nfh_write_word(FILE *f, const char *s);
/*
 * The backslash escape of @c that restore words and JSON strings share
 * (\" \\ \n \t \r); false, writing nothing, when @c has none of them.
 */
bool nfh_write_escape(FILE *f, unsigned char c);
/* Always quoted: comment "..." */
void nfh_write_quoted(FILE *f, const char *s);
/* The matches, action, [index], comment, [counters] of a rule. */
void nfh_rule_write(FILE *f, const struct nfh_rule *r, unsigned int flags);
/* The same into a malloc'ed string (NULL on allocation failure). */
char *nfh_rule_text(const struct nfh_rule *r, unsigned int flags);
/* priority P policy P enable|disable (the settings a hook line has) */
void nfh_hook_write(FILE *f, const struct nfh_hook *h, bool numeric);
/* 1.2M, 845 (counts); 845 B, 1.2 MiB (bytes). */
void nfh_format_count(uint64_t v, char *buf, size_t size);
void nfh_format_bytes(uint64_t v, char *buf, size_t size);

/* ---- saverestore.c ----------------------------------------------------- */

void nfh_ruleset_free(struct nfh_ruleset *rs);
struct nfh_hook *nfh_ruleset_add_hook(struct nfh_ruleset *rs);
struct nfh_rule *nfh_ruleset_add_rule(struct nfh_ruleset *rs);
/*
 * Splits a line into words: blanks separate, "..." quotes (with \" \\ \n
 * \t \r \xHH escapes), # starts a comment.  Returns the number of words
 * (pointers into @line, which is modified) or -1.
 */
int nfh_split_line(char *line, char **words, int max, struct nfh_err *e);
/* Reads a whole file; on error msg is "NAME:LINE: error: ...". */
int nfh_restore_parse(FILE *in, const char *name, struct nfh_ruleset *rs,
		      struct nfh_err *e);
void nfh_save_write(FILE *f, const struct nfh_ruleset *rs, bool counters);

/* ---- output.c: one path for tables and JSON ---------------------------- */

enum nfh_print_mode {
	PRINT_FP	= 1,	/* text only */
	PRINT_JSON	= 2,	/* JSON only */
	PRINT_ANY	= 3,
};

#define NFH_OUT_MAX_COLS	16
#define NFH_JSON_MAX_DEPTH	16

struct nfh_table_col {
	const char *header;
	bool right;
	size_t width;
};

struct nfh_out {
	FILE *f;
	bool json;
	bool numeric;
	/* JSON writer */
	int depth;
	bool first[NFH_JSON_MAX_DEPTH];
	/* text table being collected (text mode, between list begin/end) */
	bool in_table;
	struct nfh_table_col cols[NFH_OUT_MAX_COLS];
	size_t ncols, cur_col, rows;
	char **cells;
	size_t ncells, cells_cap;
	bool oom;
};

void nfh_out_init(struct nfh_out *o, FILE *f, bool json, bool numeric);
/* Writes @s as a JSON string: quotes, escapes, invalid UTF-8 as U+FFFD. */
void nfh_json_string(FILE *f, const char *s);
void nfh_out_obj_begin(struct nfh_out *o, const char *key);
void nfh_out_obj_end(struct nfh_out *o);
/* A list: a JSON array, or a text table printed aligned at its end. */
void nfh_out_list_begin(struct nfh_out *o, const char *key);
void nfh_out_row_begin(struct nfh_out *o);
void nfh_out_row_end(struct nfh_out *o);
void nfh_out_list_end(struct nfh_out *o);
/*
 * Values.  @key names the JSON member, @col the table column (or the label
 * of a "label value" line outside a list); @text is what people read (NULL:
 * the plain number).
 */
void nfh_print_u64(struct nfh_out *o, int mode, const char *key,
		   const char *col, uint64_t v, const char *text);
void nfh_print_s64(struct nfh_out *o, int mode, const char *key,
		   const char *col, int64_t v, const char *text);
void nfh_print_str(struct nfh_out *o, int mode, const char *key,
		   const char *col, const char *s);
void nfh_print_bool(struct nfh_out *o, int mode, const char *key,
		    const char *col, bool v, const char *text);
/* Counts and bytes: units for people unless numeric, exact in JSON. */
void nfh_print_count(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v);
void nfh_print_bytes(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v);
/* A rule's JSON members and its RULE column (the CLI words). */
void nfh_print_rule(struct nfh_out *o, const struct nfh_rule *r);
/* 0, or -1 if memory ran out while collecting a table. */
int nfh_out_finish(struct nfh_out *o);

/* ---- cmdline.c: argv to a command -------------------------------------- */

enum nfh_cmd_id {
	NFH_CMD_HELP,
	NFH_CMD_VERSION,
	NFH_CMD_INFO,
	NFH_CMD_HOOK_LIST,
	NFH_CMD_HOOK_SET,
	NFH_CMD_RULE_ADD,
	NFH_CMD_RULE_DEL,
	NFH_CMD_RULE_LIST,
	NFH_CMD_FLUSH,
	NFH_CMD_RESET,
	NFH_CMD_SAVE,
	NFH_CMD_RESTORE,
	NFH_CMD_MONITOR,
};

struct nfh_cmd {
	enum nfh_cmd_id id;
	bool json, numeric;
	const char *netns;
	const char *help_topic;		/* HELP: NULL or a command word */
	bool has_family, has_hook;	/* list/flush filters */
	uint32_t family, hook;
	struct nfh_rule rule;		/* RULE_ADD; RULE_DEL: id */
	struct nfh_hook hookset;	/* HOOK_SET */
	bool counters;			/* SAVE --counters */
	const char *file;		/* RESTORE: NULL or "-" for stdin */
};

/* Fills @cmd; on failure e->msg and e->usage say what is wrong. */
int nfh_cmdline_parse(struct nfh_cmd *cmd, int argc, char **argv,
		      struct nfh_err *e);
/* Full help, or the help of one command word ("rule", "hook", ...). */
void nfh_usage(FILE *f, const char *topic);

/* ---- msg.c: structs to attributes and back (libmnl, no socket) --------- */

struct nlmsghdr;
struct nlattr;

/* Largest message nfhookctl builds, with room to spare. */
#define NFH_MSG_MAX	1024

bool nfh_put_rule(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_rule *r);
bool nfh_put_hook(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_hook *h);
/* From an NFHOOK_A_RULE nest; -1 if malformed. */
int nfh_parse_rule_nest(const struct nlattr *nest, struct nfh_rule *r);
/* From a genl message's top-level attributes (HOOK_GET reply or event). */
int nfh_parse_hook_msg(const struct nlmsghdr *nlh, struct nfh_hook *h);
int nfh_parse_info_msg(const struct nlmsghdr *nlh, struct nfh_info *info);
/* Optional FAMILY and HOOK of a FLUSH notification. */
int nfh_parse_flush_msg(const struct nlmsghdr *nlh, bool *has_family,
			uint32_t *family, bool *has_hook, uint32_t *hook);

#endif /* NFHOOKCTL_H */
