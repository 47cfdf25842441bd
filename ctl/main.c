/*
 * schedulerctl: the administration CLI of scheduler-service. main reads
 * the global options, finds the command in the table below by its words
 * ("token issue"), answers --help, and runs it; the exit status is the
 * command's (0 ok, 1 failure, 2 usage).
 */
#include "ctl.h"
#include "migrate.h"
#include "secrets.h"
#include "tokens.h"
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ctl_command ctl_commands[] = {
	{ "migrate", NULL, "[--schema-dir DIR]",
	  "apply pending schema migrations",
	  "Applies the files NNN_name.sql of the schema directory that the\n"
	  "database has not seen, in numeric order, and records each in the\n"
	  "table schema_migrations. Running it again applies nothing. A lock\n"
	  "keeps two migrators from running at once.\n\n"
	  "  -d, --schema-dir DIR  the migrations (default: $SCHEDULER_SCHEMA_DIR,\n"
	  "                        else " PKGDATADIR "/schema)\n",
	  migrate_run },
	{ "user", "add", "[--admin] NAME", "create a user",
	  "Creates user NAME (1-100 characters of A-Z a-z 0-9 _ . @ -) with a\n"
	  "new signing secret. A name that exists already is an error.\n\n"
	  "  -a, --admin  give the user the admin role (may read /admin/*)\n",
	  users_add },
	{ "user", "list", "", "list users with role, disabled flag, creation time",
	  NULL, users_list },
	{ "user", "disable", "NAME", "refuse every token of a user",
	  "From now on the API answers 401 to every token of NAME. The\n"
	  "tokens and tasks stay; 'user enable' undoes it.\n",
	  users_disable },
	{ "user", "enable", "NAME", "undo 'user disable'", NULL, users_enable },
	{ "user", "role", "NAME user|admin", "set a user's role", NULL,
	  users_role },
	{ "token", "issue", "[--ttl SECONDS] NAME",
	  "issue a bearer token (printed once)",
	  "Issues a new bearer token for user NAME and prints it alone on the\n"
	  "last line of stdout; only its SHA-256 hash is stored, so it cannot\n"
	  "be shown again. Its id and expiry go to stderr.\n\n"
	  "  -t, --ttl SECONDS  the token expires SECONDS from now (default:\n"
	  "                     never)\n",
	  tokens_issue },
	{ "token", "list", "[NAME]", "list tokens (never the tokens themselves)",
	  "Lists every token, or NAME's: id, user, status (active, expired,\n"
	  "revoked, user-disabled), created, expires, revoked.\n",
	  tokens_list },
	{ "token", "revoke", "ID", "revoke a token by its id",
	  "The API refuses the token (401) from the next request on.\n",
	  tokens_revoke },
	{ "secret", "show", "NAME", "print a user's signing secret",
	  "Prints NAME's signing secret (64 lowercase hex characters) alone\n"
	  "on the last line of stdout. Callbacks carry X-Scheduler-Signature:\n"
	  "HMAC-SHA256 keyed with this text.\n",
	  secrets_show },
	{ "secret", "rotate", "NAME", "replace a user's signing secret",
	  "Replaces NAME's signing secret and prints the new one alone on\n"
	  "the last line of stdout. Callbacks signed from now on use it.\n",
	  secrets_rotate },
};

#define N_COMMANDS (sizeof(ctl_commands) / sizeof(ctl_commands[0]))

/* Lists the commands, all or those of one group, as "  words args  summary". */
static void
main_list(FILE *f, const char *group)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct ctl_command *c = &ctl_commands[i];
		char words[64];
		if (group != NULL && strcmp(c->group, group) != 0)
			continue;
		snprintf(words, sizeof(words), "%s%s%s%s%s", c->group,
		    c->verb ? " " : "", c->verb ? c->verb : "",
		    c->args[0] ? " " : "", c->args);
		fprintf(f, "  %-34s %s\n", words, c->summary);
	}
}

static void
main_overview(FILE *f)
{
	fprintf(f,
	    "usage: schedulerctl [-c FILE] COMMAND [ARGS...]\n"
	    "\n"
	    "Administers scheduler-service: schema, users, tokens, secrets.\n"
	    "\n"
	    "  -c, --config FILE  config file (default: $SCHEDULER_CONF, else\n"
	    "                     %s)\n"
	    "  -h, --help         this text; COMMAND --help for one command\n"
	    "  -V, --version      print the version\n"
	    "\n"
	    "Commands:\n", CONFIG_DEFAULT_PATH);
	main_list(f, NULL);
	fprintf(f, "\nExit status: 0 success, 1 failure (database, unknown "
	    "user...), 2 bad usage.\n");
}

static void
main_command_help(const struct ctl_command *cmd)
{
	ctl_print_usage(cmd, stdout);
	printf("\n%s.\n", cmd->summary);
	if (cmd->help != NULL)
		printf("\n%s", cmd->help);
}

/* 1 if the command's arguments ask for help (before any "--"). */
static int
main_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static int
main_group_exists(const char *group)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(ctl_commands[i].group, group) == 0)
			return 1;
	return 0;
}

/*
 * Finds the command named by words[0] (and words[1] for a group); *used
 * gets how many words named it. NULL after printing why (*status set).
 */
static const struct ctl_command *
main_find(int nwords, char **words, int *used, int *status)
{
	const char *group = words[0];
	const char *verb = nwords > 1 ? words[1] : NULL;

	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct ctl_command *c = &ctl_commands[i];
		if (strcmp(c->group, group) != 0)
			continue;
		if (c->verb == NULL) {
			*used = 1;
			return c;
		}
		if (verb != NULL && strcmp(c->verb, verb) == 0) {
			*used = 2;
			return c;
		}
	}
	if (!main_group_exists(group)) {
		fprintf(stderr, "schedulerctl: unknown command \"%s\"\n\n", group);
		main_overview(stderr);
		*status = CTL_USAGE;
		return NULL;
	}
	if (verb != NULL && (strcmp(verb, "-h") == 0 ||
	    strcmp(verb, "--help") == 0)) {
		printf("usage: schedulerctl [-c FILE] %s COMMAND ...\n\n", group);
		main_list(stdout, group);
		*status = CTL_OK;
		return NULL;
	}
	if (verb == NULL)
		fprintf(stderr, "schedulerctl %s: missing command\n\n", group);
	else
		fprintf(stderr, "schedulerctl %s: unknown command \"%s\"\n\n",
		    group, verb);
	fprintf(stderr, "usage: schedulerctl [-c FILE] %s COMMAND ...\n\n", group);
	main_list(stderr, group);
	*status = CTL_USAGE;
	return NULL;
}

/* `schedulerctl help [COMMAND...]`. */
static int
main_help(int nwords, char **words)
{
	const struct ctl_command *cmd;
	int used, status;

	if (nwords == 0) {
		main_overview(stdout);
		return CTL_OK;
	}
	if ((cmd = main_find(nwords, words, &used, &status)) == NULL)
		return status;
	main_command_help(cmd);
	return CTL_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl;
	const struct ctl_command *cmd;
	int c, used, status;

	memset(&ctl, 0, sizeof(ctl));
	opterr = 0;
	/* '+': options end at the command word; its options are its own. */
	while ((c = getopt_long(argc, argv, "+:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctl.config_flag = optarg;
			break;
		case 'h':
			main_overview(stdout);
			return CTL_OK;
		case 'V':
			printf("schedulerctl (scheduler-service) %s\n", SCHED_VERSION);
			return CTL_OK;
		case ':':
			ctl_error("option %s needs an argument", argv[optind - 1]);
			return CTL_USAGE;
		default:
			ctl_error("unknown option %s\n", argv[optind - 1]);
			main_overview(stderr);
			return CTL_USAGE;
		}
	}
	if (optind == argc) {
		ctl_error("missing command\n");
		main_overview(stderr);
		return CTL_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0)
		return main_help(argc - optind - 1, argv + optind + 1);
	if ((cmd = main_find(argc - optind, argv + optind, &used,
	    &status)) == NULL)
		return status;
	/* The command's argv[0] is its last word ("add"), getopt's name. */
	argc -= optind + used - 1;
	argv += optind + used - 1;
	if (main_wants_help(argc, argv)) {
		main_command_help(cmd);
		return CTL_OK;
	}
	ctl.cmd = cmd;
	status = cmd->run(&ctl, argc, argv);
	ctl_close(&ctl);
	return status;
}
