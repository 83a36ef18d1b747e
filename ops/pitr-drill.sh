#!/usr/bin/env bash
# Point-in-time recovery drill (docs/operations.md "Point-in-time recovery"), on a private throwaway
# cluster so it can run anywhere, CI included:
#   1. a primary with WAL archiving (archive_mode + archive_command copying into a folder),
#   2. a base backup (pg_basebackup),
#   3. write A, note the time T, write B, archive the WAL, stop the primary,
#   4. restore the base backup into a new data folder with restore_command and recovery_target_time=T,
#   5. start it, let it replay to T and promote, and check that A is there and B is not.
# Prints "PITR drill: PASS" and exits 0, or says what went wrong and exits 1.
# Needs the PostgreSQL server binaries (PG_BIN_DIR, default the newest /usr/lib/postgresql/*/bin).
# As root, the servers run as the postgres OS user. KEEP=1 keeps the work folder for a look afterwards.
set -euo pipefail

PG_BIN=${PG_BIN_DIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "PITR drill: PostgreSQL server binaries not found (set PG_BIN_DIR)" >&2
  exit 2
fi

WORK=$(mktemp -d /tmp/jobr-pitr.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

# A free port on loopback.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=$((20000 + RANDOM % 20000))
while port_in_use "$PORT"; do PORT=$((20000 + RANDOM % 20000)); done

sql() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }
start() { as_pg "'$PG_BIN/pg_ctl' -D '$1' -l '$WORK/$(basename "$1").log' -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1' -w start" >/dev/null; }
stop() { as_pg "'$PG_BIN/pg_ctl' -D '$1' -m fast -w stop" >/dev/null 2>&1 || true; }
fail() {
  echo "PITR drill: FAIL: $*" >&2
  for log in "$WORK"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }; done
  exit 1
}
cleanup() {
  stop "$WORK/primary"
  stop "$WORK/restored"
  if [ "${KEEP:-}" = 1 ]; then echo "PITR drill: work folder kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
began=$(date +%s.%N)

echo "PITR drill: primary with WAL archiving in $WORK (port $PORT)"
as_pg "mkdir -p '$WORK/wal' && '$PG_BIN/initdb' -D '$WORK/primary' -U postgres --auth=trust -E UTF8 --no-sync" >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<EOF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/wal/%f && cp %p $WORK/wal/%f'
EOF
start "$WORK/primary"
sql "create table drill (id int primary key, note text not null, at timestamptz not null default clock_timestamp())"

echo "PITR drill: base backup"
as_pg "'$PG_BIN/pg_basebackup' -h 127.0.0.1 -p $PORT -U postgres -D '$WORK/base' --checkpoint=fast --wal-method=stream" ||
  fail "pg_basebackup failed"

sql "insert into drill (id, note) select g, 'A' from generate_series(1, 100) g"
TARGET=$(sql "select clock_timestamp()")
sleep 1 # B commits strictly after the target time
sql "insert into drill (id, note) select g, 'B' from generate_series(101, 150) g"
# Close the WAL segment that holds B so it is archived, and wait until it is.
SEGMENT=$(sql "select pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 100); do [ -f "$WORK/wal/$SEGMENT" ] && break; sleep 0.1; done
[ -f "$WORK/wal/$SEGMENT" ] || fail "WAL segment $SEGMENT was not archived"
echo "PITR drill: wrote 100 rows A, target time $TARGET, then 50 rows B; WAL archived up to $SEGMENT"
stop "$WORK/primary"

echo "PITR drill: restoring the base backup to $TARGET"
as_pg "cp -a '$WORK/base' '$WORK/restored' && touch '$WORK/restored/recovery.signal'"
cat >>"$WORK/restored/postgresql.conf" <<EOF
archive_mode = off
restore_command = 'cp $WORK/wal/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
EOF
start "$WORK/restored"
for _ in $(seq 1 300); do [ "$(sql 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && break; sleep 0.1; done
[ "$(sql 'select pg_is_in_recovery()')" = f ] || fail "the restored server did not finish recovery"

A=$(sql "select count(*) from drill where note = 'A'")
B=$(sql "select count(*) from drill where note = 'B'")
LATEST=$(sql "select coalesce(max(at)::text, 'none') from drill")
echo "PITR drill: after recovery: $A rows A (want 100), $B rows B (want 0), newest row at $LATEST"
[ "$A" = 100 ] || fail "rows written before the target time are missing"
[ "$B" = 0 ] || fail "rows written after the target time came back"
awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "PITR drill: PASS (%.1f s)\n", b - a }'
