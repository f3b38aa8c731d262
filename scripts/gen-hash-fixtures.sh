#!/usr/bin/env bash
# Regenerates the PostgreSQL hash fixtures that TopologyRuntimeTests check TopologyRuntime against.
#
# Starts a throwaway PostgreSQL 15 server (socket only, no TCP), asks it for
#   - hashtextextended / hashint2extended / hashint4extended / hashint8extended over a fixed key
#     set and several seeds, and
#   - the hash-partition remainder of int8, text and (int4, text, int8) keys: read back from the
#     partition each row actually landed in (tableoid) and confirmed with satisfies_hash_partition,
#     plus remainders for other moduli computed with satisfies_hash_partition,
# stops the server, and writes CSV files to Tests/TopologyRuntimeTests/Fixtures/.
#
# Every key set is deterministic (derived from md5 of counters), so rerunning the script on the
# same PostgreSQL major version reproduces the files byte for byte.
#
# Environment:
#   PGBIN        PostgreSQL server binaries (default /usr/lib/postgresql/15/bin)
#   FIXTURE_PORT port number naming the server's Unix socket (default 55439)
#   FIXTURE_DIR  output directory (default <repo>/Tests/TopologyRuntimeTests/Fixtures)
#
# Run as root (initdb then runs as the `postgres` user) or as any unprivileged user.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out_dir=${FIXTURE_DIR:-$repo_root/Tests/TopologyRuntimeTests/Fixtures}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
port=${FIXTURE_PORT:-55439}

for tool in initdb pg_ctl psql; do
    if [[ ! -x $pgbin/$tool ]]; then
        echo "gen-hash-fixtures: $pgbin/$tool not found (set PGBIN)" >&2
        exit 1
    fi
done

work=$(mktemp -d /tmp/topoc-hash-fixtures.XXXXXX)
data=$work/data

as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$work"
fi

cleanup() {
    if [[ -f $data/postmaster.pid ]]; then
        as_server_user "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

as_server_user "$pgbin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log" >&2; exit 1; }
as_server_user "$pgbin/pg_ctl" -D "$data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses='' -c fsync=off" start >/dev/null ||
    { cat "$work/server.log" >&2; exit 1; }

export PGCLIENTENCODING=UTF8
psql_cmd=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres -d postgres)

version=$("${psql_cmd[@]}" -Atc 'show server_version_num')
if [[ ${version:0:2} != 15 ]]; then
    echo "gen-hash-fixtures: warning: server_version_num is $version, the facts were pinned on 15" >&2
fi

partition_seed=$(printf '%d' 0x7A5B22367996DCFD)
int_seeds=(0 1 -1 42 "$partition_seed" 4294967296 -9223372036854775808 9223372036854775807)
text_seeds=(0 1 -1 42 "$partition_seed" 4294967296)
moduli=(3 7 10)

# hash_columns FUNCTION SEED...: `FUNCTION(k, 'SEED'::bigint) as "SEED"` for each seed.
hash_columns() {
    local function=$1
    shift
    local columns=() seed
    for seed in "$@"; do
        columns+=("$function(k, '$seed'::bigint) as \"$seed\"")
    done
    local IFS=,
    echo "${columns[*]}"
}

# modulus_columns TABLE VALUES...: the remainder of the row for each extra modulus.
modulus_columns() {
    local table=$1 values=$2
    local columns=() modulus
    for modulus in "${moduli[@]}"; do
        columns+=("(select r from generate_series(0, $((modulus - 1))) r
            where satisfies_hash_partition('$table'::regclass, $modulus, r, $values)) as \"$modulus\"")
    done
    local IFS=,
    echo "${columns[*]}"
}

mkdir -p "$out_dir"
tmp_out=$work/out
mkdir "$tmp_out"

"${psql_cmd[@]}" <<SQL
\pset format csv

-- Key sets ---------------------------------------------------------------------------------------

create table text_keys (ord int generated always as identity primary key, k text not null);
insert into text_keys (k) values ('');
insert into text_keys (k)
    select left('The quick brown fox jumps over the lazy dog.', n) from generate_series(1, 40) n;
insert into text_keys (k) select left(repeat(md5('len' || n), 2), n) from generate_series(1, 64) n;
insert into text_keys (k) values
    ('héllo'), ('日本語'), ('🎉'), ('👩‍👩‍👧‍👦'), ('naïve café'), ('Zürich'), ('Ωμέγα'), ('ß'),
    ('e' || chr(769)), ('中文字符测试'), ('emoji 🚀 mixed ✓ text'), ('ÿ'), ('𝄞'), ('user:42'),
    ('tenant-0001'), ('acme.example.com'), ('A'), ('a b'), ('NULL'), ('0'), ('-1'), ('x,y'),
    ('"quoted"'), (E'tab\there'), (E'new\nline'), (' '), (repeat(' ', 12));
insert into text_keys (k) values
    (repeat('a', 1000)), (repeat('xyz', 333)), (repeat('é', 500)), (repeat('日本', 166) || 'ab');
insert into text_keys (k)
    select left(repeat(md5('long' || n), 40), n) from unnest(array[100, 255, 256, 257, 511, 1001]) n;
insert into text_keys (k)
    select left(repeat(md5('r' || i), 2), (i * 37) % 61) from generate_series(1, 140) i;
insert into text_keys (k)
    select string_agg(chr(case v % 4
                when 0 then 32 + v % 95
                when 1 then 160 + v % 1800
                when 2 then 12352 + v % 20480
                else 127744 + v % 768 end), '' order by j)
    from generate_series(1, 100) i
    cross join lateral generate_series(1, 1 + i % 13) j
    cross join lateral (select (('x' || substr(md5(i || ':' || j), 1, 8))::bit(32)::int & 2147483647) v) s
    group by i order by i;

create table int8_keys (ord int generated always as identity primary key, k bigint not null);
insert into int8_keys (k) values
    (0), (1), (-1), (2), (-2), (42), (-42), (2147483647), (-2147483648), (2147483648), (-2147483649),
    (4294967295), (4294967296), (-4294967296), (-4294967295), (4294967297),
    (9223372036854775807), ('-9223372036854775808'), (9223372036854775806), (-9223372036854775807);
insert into int8_keys (k) select 1::bigint << n from generate_series(1, 62) n;
insert into int8_keys (k) select -(1::bigint << n) from generate_series(1, 62) n;
insert into int8_keys (k)
    select ('x' || substr(md5('i8:' || i), 1, 16))::bit(64)::bigint from generate_series(1, 200) i;
insert into int8_keys (k)
    select ('x' || substr(md5('i8s:' || i), 1, 8))::bit(32)::int from generate_series(1, 40) i;

create table int4_keys (ord int generated always as identity primary key, k int not null);
insert into int4_keys (k) values
    (0), (1), (-1), (2), (-2), (42), (-42), (2147483647), (-2147483648), (2147483646), (-2147483647),
    (32767), (-32768), (65535), (65536), (-65536);
insert into int4_keys (k) select 1 << n from generate_series(1, 30) n;
insert into int4_keys (k) select -(1 << n) from generate_series(1, 30) n;
insert into int4_keys (k)
    select ('x' || substr(md5('i4:' || i), 1, 8))::bit(32)::int from generate_series(1, 140) i;

create table int2_keys (ord int generated always as identity primary key, k smallint not null);
insert into int2_keys (k) values (0), (1), (-1), (42), (-42), (32767), (-32768), (32766), (-32767), (255), (256);
insert into int2_keys (k) select n from generate_series(-32768, 32767, 1031) n;

-- Hash functions ---------------------------------------------------------------------------------

\o $tmp_out/hashtextextended.csv
select encode(convert_to(k, 'UTF8'), 'hex') as key_hex, $(hash_columns hashtextextended "${text_seeds[@]}")
from text_keys order by ord;
\o $tmp_out/hashint8extended.csv
select k as key, $(hash_columns hashint8extended "${int_seeds[@]}") from int8_keys order by ord;
\o $tmp_out/hashint4extended.csv
select k as key, $(hash_columns hashint4extended "${int_seeds[@]}") from int4_keys order by ord;
\o $tmp_out/hashint2extended.csv
select k as key, $(hash_columns hashint2extended "${int_seeds[@]}") from int2_keys order by ord;
\o

-- Hash partitions --------------------------------------------------------------------------------

create table part_int8 (ord int, k bigint) partition by hash (k);
create table part_text (ord int, k text) partition by hash (k);
create table part_multi (ord int, a int, b text, c bigint) partition by hash (a, b, c);
do \$\$
begin
    for r in 0..15 loop
        execute format('create table part_int8_%s partition of part_int8 for values with (modulus 16, remainder %s)', r, r);
        execute format('create table part_text_%s partition of part_text for values with (modulus 16, remainder %s)', r, r);
        execute format('create table part_multi_%s partition of part_multi for values with (modulus 16, remainder %s)', r, r);
    end loop;
end
\$\$;

insert into part_int8 select ord, k from int8_keys;
insert into part_int8 select 100000 + i, i from generate_series(1, 200) i;
insert into part_text select ord, k from text_keys;
insert into part_text select 100000 + i, 'user-' || i from generate_series(1, 200) i;
insert into part_multi
    select i,
        case when i % 7 = 0 then null else ('x' || substr(md5('ma' || i), 1, 8))::bit(32)::int end,
        case when i % 5 = 0 then null else left(md5('mb' || i), i % 20) end,
        case when i % 11 = 0 then null else ('x' || substr(md5('mc' || i), 1, 16))::bit(64)::bigint end
    from generate_series(1, 300) i;
insert into part_multi values (301, null, null, null);

-- Every row must be where satisfies_hash_partition says it belongs, or the script fails.
do \$\$
declare
    bad int;
begin
    select count(*) into bad from (
        select tableoid, k from part_int8
        where not satisfies_hash_partition('part_int8'::regclass, 16,
            substring(tableoid::regclass::text from '_(\d+)$')::int, k)
        union all
        select tableoid, null from part_text
        where not satisfies_hash_partition('part_text'::regclass, 16,
            substring(tableoid::regclass::text from '_(\d+)$')::int, k)
        union all
        select tableoid, null from part_multi
        where not satisfies_hash_partition('part_multi'::regclass, 16,
            substring(tableoid::regclass::text from '_(\d+)$')::int, a, b, c)
    ) s;
    if bad <> 0 then
        raise exception '% rows disagree with satisfies_hash_partition', bad;
    end if;
end
\$\$;

\o $tmp_out/partition_int8.csv
select k as key, substring(tableoid::regclass::text from '_(\d+)$')::int as "16",
    $(modulus_columns part_int8 k)
from part_int8 order by ord;
\o $tmp_out/partition_text.csv
select encode(convert_to(k, 'UTF8'), 'hex') as key_hex,
    substring(tableoid::regclass::text from '_(\d+)$')::int as "16",
    $(modulus_columns part_text k)
from part_text order by ord;
\o $tmp_out/partition_multi.csv
select coalesce(a::text, 'NULL') as a, coalesce(encode(convert_to(b, 'UTF8'), 'hex'), 'NULL') as b_hex,
    coalesce(c::text, 'NULL') as c, substring(tableoid::regclass::text from '_(\d+)$')::int as "16",
    $(modulus_columns part_multi "a, b, c")
from part_multi order by ord;
\o
SQL

count=0
bytes=0
for file in "$tmp_out"/*.csv; do
    if grep -q ',,\|,$' "$file"; then
        echo "gen-hash-fixtures: $(basename "$file") has an empty field" >&2
        exit 1
    fi
    cp "$file" "$out_dir/"
    count=$((count + 1))
    bytes=$((bytes + $(wc -c <"$file")))
done

echo "gen-hash-fixtures: wrote $count files ($bytes bytes) to $out_dir"
