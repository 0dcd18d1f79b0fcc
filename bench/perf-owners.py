#!/usr/bin/env python3
"""Server CPU per request by owner, from `perf script` output of the server (DOTNET_PerfMapEnabled=1).

Usage: perf script -i mcp.data | python3 bench/perf-owners.py REQUESTS [HZ]

Each sample is charged to the innermost frame of a known owner (the MCP SDK, Portcullis's MCP adapter, the engine and
storage, ...), so JSON or runtime work a frame calls is charged to that frame's owner; samples with no such frame (async
continuations, system calls, the thread pool's spinning) are grouped by what they are. REQUESTS is how many requests
the recorded seconds served (throughput x seconds), HZ perf's sampling rate (perf record -F, 499 by default here).
"""
import collections
import re
import sys

OWNERS = [
    ('engine + storage', r'ActionEngine|ActionRecorder|ConnectorRunner|\[Portcullis\.Connectors\]|\[Portcullis\.Storage\]'
     r'|\[Microsoft\.Data\.Sqlite\]|\[Npgsql\]|\[Dapper\]|SQLitePCL|Features\.Audit|Features\.Runs|ExecutionRecords|ActionRequestInput'),
    ('MCP adapter (McpToolCall, McpResults, ...)', r'Features\.Mcp\.(McpToolCall|McpResults|McpMeta|McpLinks|McpToolCatalog'
     r'|BuiltInToolSource|McpRequest|McpClientKey|McpClientRuns|McpDirectCalls|McpDirectRequest|McpCall)'),
    ('MCP SDK (ModelContextProtocol.*)', r'ModelContextProtocol'),
    ('agent key authentication', r'AgentKeyHandler|AgentAuthenticator'),
    ('REST endpoint (RequestAction, body filter)', r'Features\.Actions\.RequestAction|AgentJsonBodyFilter|BillingLockFilter'
     r'|Infrastructure\.Http\.JsonBody'),
    ('ASP.NET Core, Kestrel, middleware', r'Microsoft\.AspNetCore|RequestIds|McpOriginGuard|SecurityHeaders'),
]

UNOWNED = [
    ('engine + storage', r'sqlite3|walChecksum|pcache1|vdbe|libe_sqlite|__x64_sys_(pwrite|fsync|pread|fcntl)'),
    ('thread pool spinning (sched_yield)', r'__x64_sys_sched_yield|LowLevelLifoSemaphore|SpinWait'),
    ('socket system calls', r'__x64_sys_(sendto|recvfrom|epoll)'),
    ('futex, context switches', r'__x64_sys_futex|finish_task_switch'),
]


def stacks(lines):
    """Yields each sample's frames, outermost first, from `perf script` text."""
    frames = []
    for line in lines:
        if not line.strip():
            if frames:
                yield list(reversed(frames))
            frames = []
        elif line[0] in ' \t':
            parts = line.strip().split(' ', 1)
            if len(parts) == 2:
                frames.append(parts[1])
    if frames:
        yield list(reversed(frames))


def owner(frames):
    for frame in reversed(frames):
        for name, pattern in OWNERS:
            if re.search(pattern, frame):
                return name
    joined = ';'.join(frames)
    return next((name for name, pattern in UNOWNED if re.search(pattern, joined)), 'other: runtime, GC, unresolved')


def main():
    requests = float(sys.argv[1])
    hz = float(sys.argv[2]) if len(sys.argv) > 2 else 499
    totals = collections.Counter(owner(frames) for frames in stacks(sys.stdin))
    per_request = lambda samples: samples / hz / requests * 1e6
    print(f"{'total':45} {per_request(sum(totals.values())):7.1f} µs/request")
    for name, samples in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{name:45} {per_request(samples):7.1f}")


if __name__ == '__main__':
    main()
