"""The load test: several sharded ``policybot run`` processes, one PostgreSQL, kills mid-run.

    python -m bench.load [--processes 3] [--shards-per-process 2] [--servers 60] [--rate 60]
                         [--seconds 40] [--write-docs]

Each process is the real command line (an ``AutoShardedBot`` over its own ``--shard-ids``)
against a loopback fake Discord with one gateway connection per shard; each is killed with
SIGKILL once mid-run and started again, the fake redelivering what it had not acknowledged.
The report gives decisions per second per process and the decision latency, and proves that no
committed strike is lost and no message gets two reminders.
"""
