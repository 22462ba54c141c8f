/* bench_spawn.c: runs a command and reports what it cost, for tests/bench/run.
 *
 * A child's peak RSS as wait4 reports it includes the memory of the process
 * that forked it (the kernel keeps the larger of the old and the new image
 * at exec), so a command started from Python would show Python's 20-odd MiB.
 * Started from this small process it shows its own. Prints to stderr, after
 * the command ends: "bench_spawn EXIT CPU_US MAXRSS_KB"; the command's own
 * stderr goes to /dev/null, its stdout is passed through.
 *
 *   bench_spawn COMMAND [ARG...] */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	long cpu;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_spawn COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 2);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 2;
	cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	fprintf(stderr, "bench_spawn %d %ld %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128,
		cpu, ru.ru_maxrss);
	return 0;
}
