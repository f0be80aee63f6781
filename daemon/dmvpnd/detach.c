// SPDX-License-Identifier: GPL-2.0
/*
 * Going to the background once dmvpnd runs, not before: the process that
 * started it waits until the daemon has opened everything (sockets, the
 * kernel's interfaces, its tunnels) and exits 0, or, if the daemon stops
 * first, with its exit status; until then the daemon's errors are on
 * that process's stderr as well as in syslog.  (daemon(3) would detach
 * first, and a port in use would be a line in syslog and an exit status
 * of 0.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

int detach_start(void)
{
	int p[2], st;
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid > 0) {		/* the starter: the daemon's word, or its exit status */
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		if (c == 'R')
			_exit(0);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		_exit(WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : 1);
	}
	close(p[0]);
	setsid();
	return p[1];
}

void detach_done(int fd)
{
	int null;

	if (fd < 0)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	log_also_stderr(false);	/* stderr is /dev/null now */
	if (chdir("/"))
		log_warn("cannot chdir to /: %m");
	while (write(fd, "R", 1) < 0 && errno == EINTR)
		;
	close(fd);
}
