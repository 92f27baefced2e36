#!/usr/bin/env bash
# The production stack on this machine, without Docker: nginx (Debian's package) on HTTP_PORT routing /ws/
# to uvicorn and everything else to gunicorn, Celery workers (one per queue) and beat, on the PostgreSQL and
# Redis given by DATABASE_URL and REDIS_URL. Same commands and configs as deploy/docker-compose.yml, on loopback ports.
#
#   deploy/local-stack.sh start     # migrate, collectstatic, start everything, wait for /ready via nginx
#   deploy/local-stack.sh status    # which processes run
#   deploy/local-stack.sh stop      # SIGTERM everything (graceful), wait
#   deploy/local-stack.sh config D  # only write nginx.conf into D (used by the tests: nginx -t)
#
# Runtime files (pids, logs, nginx.conf, static files, metrics) go to STACK_DIR. Logs are JSON lines.
set -euo pipefail
cd "$(dirname "$0")/.."

STACK_DIR=${STACK_DIR:-/tmp/cafepos-stack}
HTTP_PORT=${HTTP_PORT:-8080}
WEB_PORT=${WEB_PORT:-8100}
WS_PORT=${WS_PORT:-8101}
VENV=${VENV:-.venv}
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
# Celery workers, name:queue:concurrency (settings CELERY_TASK_ROUTES). Webhook POSTs wait on the network.
WORKERS=${WORKERS:-"worker:celery:1 worker-webhooks:webhooks:4 worker-emails:emails:1 worker-exports:exports:1"}
WORKER_NAMES=$(for spec in $WORKERS; do printf '%s ' "${spec%%:*}"; done)

write_nginx_conf() {  # $1: directory. deploy/nginx/cafepos.conf with loopback upstreams, inside a minimal nginx.conf
  local dir=$1
  mkdir -p "$dir/temp" "$dir/logs"
  chmod 1777 "$dir/temp"
  sed -e "s/server web:8000;/server 127.0.0.1:${WEB_PORT};/" \
      -e "s/server ws:8001;/server 127.0.0.1:${WS_PORT};/" \
      -e "s/listen 80;/listen 127.0.0.1:${HTTP_PORT};/" \
      -e "s#access_log /dev/stdout cafepos_json;#access_log ${dir}/logs/nginx-access.log cafepos_json;#" \
      deploy/nginx/cafepos.conf > "$dir/cafepos.conf"
  # The production sizing (deploy/nginx/nginx.conf), descriptors capped at what this shell may open.
  local hard sizing
  hard=$(ulimit -Hn)
  sizing=$(grep -E '^(worker_processes|worker_rlimit_nofile|events) ' deploy/nginx/nginx.conf)
  if [[ $hard != unlimited ]]; then
    sizing=$(sed -E -e "s/worker_rlimit_nofile [0-9]+;/worker_rlimit_nofile $hard;/" \
                    -e "s/worker_connections [0-9]+;/worker_connections $(( hard * 9 / 10 ));/" <<<"$sizing")
  fi
  cat > "$dir/nginx.conf" <<EOF
$sizing
pid $dir/nginx.pid;
error_log $dir/logs/nginx-error.log warn;
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include $dir/cafepos.conf;
}
EOF
}

stack_env() {
  export APP_ENV=production LOG_FORMAT=${LOG_FORMAT:-json} SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
  export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cafepos}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
  export ALLOWED_ORIGINS=${ALLOWED_ORIGINS:-http://127.0.0.1:${HTTP_PORT},http://localhost:${HTTP_PORT}}
  export API_NUM_PROXIES=${API_NUM_PROXIES:-1}
  export STATIC_ROOT=$STACK_DIR/static MEDIA_ROOT=${MEDIA_ROOT:-$STACK_DIR/media}
  export PROMETHEUS_MULTIPROC_DIR=$STACK_DIR/prometheus WORKER_METRICS_PORT=${WORKER_METRICS_PORT:-0}
  # Secrets: yours if exported, else random ones kept in STACK_DIR until `stop`.
  if [[ -z ${SECRET_KEY:-} || -z ${JWT_SECRET:-} ]]; then
    if [[ ! -f $STACK_DIR/secrets.env ]]; then
      (umask 077; "$VENV/bin/python" -c 'import secrets; print(f"SECRET_KEY={secrets.token_hex(40)}\nJWT_SECRET={secrets.token_hex(32)}")' \
        > "$STACK_DIR/secrets.env")
    fi
    set -a; source "$STACK_DIR/secrets.env"; set +a
  fi
}

launch() {  # $1: name; the rest: the command. Runs in the background, pid and log in STACK_DIR.
  local name=$1; shift
  "$@" >> "$STACK_DIR/logs/$name.log" 2>&1 &
  echo $! > "$STACK_DIR/$name.pid"
}

wait_for() {  # $1: URL that must answer 200
  for _ in $(seq 60); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "local-stack: $1 did not answer; see $STACK_DIR/logs/" >&2
  return 1
}

wait_for_log() {  # $1: log name, $2: text it must contain
  for _ in $(seq 60); do
    grep -qF "$2" "$STACK_DIR/logs/$1.log" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "local-stack: $1 did not log \"$2\"; see $STACK_DIR/logs/$1.log" >&2
  return 1
}

start() {
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/prometheus"
  stack_env
  write_nginx_conf "$STACK_DIR"
  "$NGINX_BIN" -e "$STACK_DIR/logs/nginx-error.log" -t -q -c "$STACK_DIR/nginx.conf" -p "$STACK_DIR"
  "$VENV/bin/python" manage.py migrate --noinput >> "$STACK_DIR/logs/migrate.log" 2>&1
  "$VENV/bin/python" manage.py collectstatic --noinput >> "$STACK_DIR/logs/collectstatic.log" 2>&1
  # gunicorn first: its on_starting hook empties the shared metrics directory.
  # As in docker-compose.yml: sync workers and Celery keep one persistent connection each, uvicorn pools.
  DATABASE_POOL_MAX=0 launch web "$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py --bind "127.0.0.1:$WEB_PORT" cafepos.wsgi
  wait_for "http://127.0.0.1:$WEB_PORT/health"
  # No per-message deflate: one event goes to every display, and compressing it per socket cost more than sending it.
  launch ws "$VENV/bin/uvicorn" cafepos.asgi:application --host 127.0.0.1 --port "$WS_PORT" --lifespan on \
    --proxy-headers --no-access-log --timeout-graceful-shutdown 20 --ws-per-message-deflate false
  # One Celery worker per queue, as in docker-compose.yml: a slow webhook endpoint holds only webhook workers.
  for spec in $WORKERS; do
    local name=${spec%%:*} queue=${spec#*:}; queue=${queue%%:*}
    DATABASE_POOL_MAX=0 launch "$name" "$VENV/bin/celery" --app=cafepos worker --queues="$queue" --loglevel=INFO \
      --concurrency="${spec##*:}" --hostname "cafepos-stack-$queue@%h"
  done
  DATABASE_POOL_MAX=0 launch beat "$VENV/bin/celery" --app=cafepos beat --loglevel=INFO --schedule "$STACK_DIR/celerybeat-schedule"
  "$NGINX_BIN" -e "$STACK_DIR/logs/nginx-error.log" -c "$STACK_DIR/nginx.conf" -p "$STACK_DIR"
  wait_for "http://127.0.0.1:$WS_PORT/health"
  wait_for "http://127.0.0.1:$HTTP_PORT/ready"
  for spec in $WORKERS; do wait_for_log "${spec%%:*}" "ready."; done
  echo "CafePOS stack on http://127.0.0.1:$HTTP_PORT (logs: $STACK_DIR/logs)"
}

stop() {
  [[ -f $STACK_DIR/nginx.pid ]] && "$NGINX_BIN" -e "$STACK_DIR/logs/nginx-error.log" -s quit -c "$STACK_DIR/nginx.conf" -p "$STACK_DIR" 2>/dev/null || true
  for name in beat $WORKER_NAMES ws web; do
    [[ -f $STACK_DIR/$name.pid ]] && kill -TERM "$(cat "$STACK_DIR/$name.pid")" 2>/dev/null || true
  done
  for name in beat $WORKER_NAMES ws web; do
    local pid_file=$STACK_DIR/$name.pid
    [[ -f $pid_file ]] || continue
    for _ in $(seq 60); do kill -0 "$(cat "$pid_file")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$pid_file"
  done
  rm -f "$STACK_DIR/secrets.env"
}

status() {
  for name in web ws $WORKER_NAMES beat nginx; do
    local pid_file=$STACK_DIR/$name.pid
    if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "$name: running (pid $(cat "$pid_file"))"
    else
      echo "$name: stopped"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  config) write_nginx_conf "${2:?usage: local-stack.sh config DIRECTORY}" ;;
  *) echo "usage: $0 start|stop|status|config DIRECTORY" >&2; exit 2 ;;
esac
