#!/usr/bin/env bash
# Snakemake's --cluster-status for SLURM: prints running, success or failed for the job id $1.
set -u
state=$(sacct -j "$1" -X -n -P -o State 2>/dev/null | head -n 1 | cut -d' ' -f1)
if [ -z "$state" ]; then # not in the accounting yet: ask the queue
    state=$(squeue -h -j "$1" -o %T 2>/dev/null | head -n 1)
    [ -z "$state" ] && state=PENDING
fi
case "$state" in
COMPLETED) echo success ;;
PENDING | RUNNING | CONFIGURING | COMPLETING | REQUEUED | RESIZING | SUSPENDED | STAGE_OUT | SIGNALING) echo running ;;
*) echo failed ;; # FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE
esac
