#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the real-Slurm test (tests/DP.Runtime.Tests/Sweeps/Cluster) and CI.
#   local-cluster.sh install        installs Debian's slurm-wlm and munge (apt; quiet, idempotent)
#   local-cluster.sh start DIR      writes DIR/slurm.conf for localhost, starts munged, slurmctld, slurmd with all
#                                   their state, logs and sockets in DIR; waits until the node is idle; prints
#                                   "SLURM_CONF=DIR/slurm.conf" (the variable the Slurm commands read)
#   local-cluster.sh stop DIR       stops the daemons started in DIR
# Nothing outside DIR is changed by start/stop: no cgroups, no systemd, a private munged with its own key and socket.
# Every wait has a time limit. Exit 0 on success; 1 with the reason on stderr.
set -uo pipefail
die() { echo "local-cluster: $*" >&2; exit 1; }

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null || die "apt-get not found: install slurm-wlm and munge by hand"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else die "not root and no password-less sudo: cannot install slurm-wlm and munge"; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
  timeout 600 $sudo apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null || die "apt-get install slurm-wlm munge failed"
}

# The first TCP port from $1 up that nothing on 127.0.0.1 listens on.
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

start() {
  local dir=$1
  for t in munged slurmctld slurmd sinfo; do command -v "$t" >/dev/null || die "$t not found (run: $0 install)"; done
  [ "$(id -u)" = 0 ] || die "the daemons run as root here (SlurmUser=root); run as root"
  mkdir -p "$dir"/{state,spool,munge} || die "cannot create $dir"
  dir=$(cd "$dir" && pwd)
  local host cpus ctld_port slurmd_port
  host=$(hostname -s)
  cpus=$(nproc)
  ctld_port=$(free_port 16817)
  slurmd_port=$(free_port $((ctld_port + 1)))
  # A private munge: its own key and socket, so the machine's munged (if any) is left alone.
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none && chmod 600 "$dir/munge/munge.key"
  timeout 20 munged --force -S "$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
    || die "munged did not start: $(tail -3 "$dir/munge/munged.log" 2>/dev/null)"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=dpsweeptest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  timeout 30 slurmctld || die "slurmctld did not start: $(tail -5 "$dir/slurmctld.log" 2>/dev/null)"
  timeout 30 slurmd || die "slurmd did not start: $(tail -5 "$dir/slurmd.log" 2>/dev/null)"
  local state=""
  for _ in $(seq 1 120); do
    state=$(timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null | head -1)
    [ "$state" = idle ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.5
  done
  die "the node did not become idle within 60 s (state '${state}'): $(tail -3 "$dir/slurmctld.log" "$dir/slurmd.log" 2>/dev/null)"
}

stop() {
  local dir=$1 pids=() pidfile
  # The pids first: a daemon removes its pid file as it starts shutting down.
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
  done
  if [ -f "$dir/slurm.conf" ]; then
    export SLURM_CONF="$dir/slurm.conf"
    # Cancel what is left and let the steps end, so that no slurmstepd outlives its slurmd.
    timeout 10 squeue -h -o %A 2>/dev/null | sort -u | xargs -r timeout 10 scancel 2>/dev/null
    for _ in $(seq 1 60); do [ -z "$(timeout 5 squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.5; done
    timeout 10 scontrol shutdown >/dev/null 2>&1
  fi
  local pid
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; kill "$pid" 2>/dev/null; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  return 0
}

case "${1:-}" in
  install) install ;;
  start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 install | start DIR | stop DIR" ;;
esac
