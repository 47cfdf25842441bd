/*
 * fcgi-noop: the do-nothing FastCGI responder of bench/api, the ceiling of
 * any libfcgi handler behind nginx here. Pre-forked like scheduler-api: the
 * master opens the socket, forks N workers that each loop on
 * FCGX_Accept_r/FCGX_Finish_r, and on SIGTERM stops them and exits.
 * Usage: fcgi-noop SOCKET_PATH WORKERS    (not part of the product build)
 */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char reply[] = "Status: 200 OK\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "Content-Length: 16\r\nCache-Control: no-store\r\n\r\n{\"status\":\"ok\"}\n";

int
main(int argc, char **argv)
{
	int fd, n, sig;
	pid_t pids[256];
	sigset_t set;

	if (argc != 3 || (n = (int)strtol(argv[2], NULL, 10)) < 1 || n > 256) {
		fprintf(stderr, "usage: fcgi-noop SOCKET_PATH WORKERS(1-256)\n");
		return 2;
	}
	if (FCGX_Init() != 0 || (fd = FCGX_OpenSocket(argv[1], 1024)) < 0)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < n; i++) {
		if ((pids[i] = fork()) == 0) {
			FCGX_Request r;
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			signal(SIGTERM, SIG_DFL);
			FCGX_InitRequest(&r, fd, 0);
			while (FCGX_Accept_r(&r) >= 0) {
				FCGX_PutStr(reply, (int)sizeof(reply) - 1, r.out);
				FCGX_Finish_r(&r);
			}
			_exit(0);
		}
	}
	sigwait(&set, &sig);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	unlink(argv[1]);
	return 0;
}
