#!/usr/bin/env bash
# The README walkthrough, end to end, against a running sakip: one regency and its health
# department plan a year, report a quarter from a CSV file, submit the LKjIP; an evaluator scores
# the agency, recommends, and verifies the department's follow-up.
#
#   npm start &                      # in another terminal, or any running sakip
#   bash examples/quickstart.sh
#
# SAKIP_URL (default http://127.0.0.1:3000); the admin client from SAKIP_CLIENT_ID and
# SAKIP_CLIENT_SECRET, or else from the initial-admin.json the first start wrote in SAKIP_DATA_DIR
# (default ./data). Needs bash, curl and node. Every run makes its own agencies and codes, so it can
# run again against the same service. It stops at the first answer it did not expect, saying which.
set -euo pipefail

SAKIP_URL="${SAKIP_URL:-http://127.0.0.1:3000}"
SAKIP_DATA_DIR="${SAKIP_DATA_DIR:-./data}"

fail() { echo "quickstart: $*" >&2; exit 1; }

# call TOKEN METHOD PATH STATUS [curl options...]: one request; prints the body, and stops the
# script when the answer has another status.
call() {
  local token=$1 method=$2 path=$3 want=$4; shift 4
  local body status auth="authorization:"   # a header with no value: curl sends none
  [ -n "$token" ] && auth="authorization: Bearer $token"
  body=$(mktemp)
  status=$(curl -sS -o "$body" -w '%{http_code}' -X "$method" -H "$auth" "$@" "$SAKIP_URL$path") \
    || { rm -f "$body"; fail "$method $path: no answer from $SAKIP_URL"; }
  if [ "$status" != "$want" ]; then
    echo "quickstart: $method $path answered $status, expected $want:" >&2
    cat "$body" >&2; echo >&2; rm -f "$body"; exit 1
  fi
  cat "$body"; rm -f "$body"
}

# json FIELD: one field of the JSON on stdin (a dotted path), e.g. `json id` or `json summary.created`.
json() {
  node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      if (text.trim() === "") process.exit(1); // the failed call above has said why
      let v; try { v = JSON.parse(text); } catch { console.error(`quickstart: not JSON: ${text.slice(0, 200)}`); process.exit(1); }
      for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k];
      if (v === undefined || v === null) { console.error(`quickstart: no ${process.argv[1]} in ${text.slice(0, 300)}`); process.exit(1); }
      console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
    });' "$1"
}

# token CLIENT_ID SECRET: an access token (OAuth 2.0 client credentials).
token() {
  call "" POST /v1/auth/token 200 -d grant_type=client_credentials \
    --data-urlencode "client_id=$1" --data-urlencode "client_secret=$2" | json access_token
}

step() { echo "== $*"; }

# --- 0. wait until the service answers /readyz (a first start migrates the database) ----------
step "waiting for $SAKIP_URL/readyz"
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "$SAKIP_URL/readyz" && break
  sleep 1
done
curl -fs -o /dev/null "$SAKIP_URL/readyz" || fail "$SAKIP_URL/readyz does not answer 200 after 60 s"

# --- 1. the admin: from the environment, or the credentials file of the first start ------------
if [ -z "${SAKIP_CLIENT_ID:-}" ]; then
  CREDENTIALS="$SAKIP_DATA_DIR/initial-admin.json"
  [ -r "$CREDENTIALS" ] || fail "set SAKIP_CLIENT_ID and SAKIP_CLIENT_SECRET, or point SAKIP_DATA_DIR at the data directory holding initial-admin.json"
  SAKIP_CLIENT_ID=$(json clientId < "$CREDENTIALS")
  SAKIP_CLIENT_SECRET=$(json clientSecret < "$CREDENTIALS")
fi
ADMIN=$(token "$SAKIP_CLIENT_ID" "${SAKIP_CLIENT_SECRET:?SAKIP_CLIENT_SECRET is not set}")

# Fresh codes every run: the service refuses a second agency with the same code.
RUN="$(date +%y%m%d%H%M%S)$RANDOM"

# --- 2. admin: a regency, its health department, and one client for each actor ---------------
step "agencies and clients"
REGENCY=$(call "$ADMIN" POST /v1/agencies 201 -H 'content-type: application/json' \
  -d '{"code":"QS-'"$RUN"'","name":"Kabupaten Contoh '"$RUN"'","kind":"regency"}' | json id)
DEPT_CODE="QS-$RUN.1.02"
DEPT=$(call "$ADMIN" POST /v1/agencies 201 -H 'content-type: application/json' \
  -d '{"code":"'"$DEPT_CODE"'","name":"Dinas Kesehatan","kind":"department","parentId":"'"$REGENCY"'"}' | json id)

# The department's planning officer (operator; sees the department and below). Secrets show once.
OPERATOR_CLIENT=$(call "$ADMIN" POST /v1/clients 201 -H 'content-type: application/json' \
  -d '{"name":"Perencana Dinkes '"$RUN"'","role":"operator","agencyId":"'"$DEPT"'"}')
OPERATOR=$(token "$(json clientId <<< "$OPERATOR_CLIENT")" "$(json clientSecret <<< "$OPERATOR_CLIENT")")
# An APIP evaluator (no agency: reads every agency, writes evaluations and recommendations).
EVALUATOR_CLIENT=$(call "$ADMIN" POST /v1/clients 201 -H 'content-type: application/json' \
  -d '{"name":"Inspektorat '"$RUN"'","role":"evaluator"}')
EVALUATOR=$(token "$(json clientId <<< "$EVALUATOR_CLIENT")" "$(json clientSecret <<< "$EVALUATOR_CLIENT")")

# --- 3. operator: the Renstra, a goal and an objective, its indicator and the 2025 targets ------
step "plan, performance tree, indicator, targets"
PLAN=$(call "$OPERATOR" POST "/v1/agencies/$DEPT/plans" 201 -H 'content-type: application/json' \
  -d '{"kind":"renstra","title":"Renstra Dinas Kesehatan 2025-2029","startYear":2025,"endYear":2029}' | json id)
GOAL=$(call "$OPERATOR" POST "/v1/plans/$PLAN/elements" 201 -H 'content-type: application/json' \
  -d '{"level":"goal","code":"T1","title":"Meningkatnya derajat kesehatan masyarakat"}' | json id)
OBJECTIVE=$(call "$OPERATOR" POST "/v1/plans/$PLAN/elements" 201 -H 'content-type: application/json' \
  -d '{"level":"objective","code":"T1.S1","title":"Menurunnya prevalensi stunting","parentId":"'"$GOAL"'"}' | json id)
INDICATOR=$(call "$OPERATOR" POST "/v1/elements/$OBJECTIVE/indicators" 201 -H 'content-type: application/json' \
  -d '{"code":"KES-01","name":"Prevalensi stunting balita","type":"outcome","unit":"%","polarity":"lower_is_better","aggregation":"last","isKey":true,"baseline":{"year":2024,"value":21.3}}' | json id)
call "$OPERATOR" PUT "/v1/indicators/$INDICATOR/targets/2025" 201 -H 'content-type: application/json' \
  -d '{"value":18.5}' > /dev/null
call "$OPERATOR" PUT "/v1/indicators/$INDICATOR/targets/2025Q3" 201 -H 'content-type: application/json' \
  -d '{"value":19.5}' > /dev/null

# --- 4. operator: a quarter's measurements from a spreadsheet, as CSV -------------------------
step "measurements from CSV"
CSV_FILE=$(mktemp)
trap 'rm -f "$CSV_FILE"' EXIT
cat > "$CSV_FILE" <<CSV
agency_code,indicator_code,period,value,note
$DEPT_CODE,KES-01,2025Q2,20.10,Data e-PPGBM
$DEPT_CODE,KES-01,2025Q3,19.54,"Data e-PPGBM, diverifikasi Dinas"
CSV
# The Idempotency-Key names this upload: sending it again replays the first answer.
BATCH=$(call "$OPERATOR" POST '/v1/measurements/batch' 200 -H 'content-type: text/csv' \
  -H "Idempotency-Key: quickstart-$RUN-2025Q3" --data-binary @"$CSV_FILE")
[ "$(json summary.created <<< "$BATCH")" = 2 ] || fail "the batch did not create both rows: $BATCH"
call "$OPERATOR" POST "/v1/indicators/$INDICATOR/measurements/2025Q3/verification" 200 \
  -H 'content-type: application/json' -d '{"decision":"verified","comment":"Sesuai data e-PPGBM"}' > /dev/null

# --- 5. operator: the LKjIP of 2025 (JSON and CSV), then the signed submission ---------------
step "report and submission"
REPORT=$(call "$OPERATOR" GET "/v1/agencies/$DEPT/reports/2025" 200)
echo "achievement of KES-01 in 2025: $(json objectives.0.indicators.0.achievement <<< "$REPORT") %"
call "$OPERATOR" GET "/v1/agencies/$DEPT/reports/2025" 200 -H 'accept: text/csv' > /dev/null
SUBMISSION=$(call "$OPERATOR" POST "/v1/agencies/$DEPT/reports/2025/submissions" 201)
echo "submitted version $(json version <<< "$SUBMISSION"), digest $(json digest <<< "$SUBMISSION")"

# --- 6. evaluator: the PermenPAN-RB 88/2021 evaluation, a grade and a recommendation ----------
step "evaluation"
EVALUATION=$(call "$EVALUATOR" POST "/v1/agencies/$DEPT/evaluations" 201 -H 'content-type: application/json' \
  -d '{"year":2025,"frameworkId":"permenpanrb-88-2021"}' | json id)
call "$EVALUATOR" PUT "/v1/evaluations/$EVALUATION/answers" 200 -H 'content-type: application/json' \
  -d '{"answers":[{"criterionId":"pk-1a-01","answer":"A","note":"Renstra ditetapkan"}]}' > /dev/null
FINAL=$(call "$EVALUATOR" POST "/v1/evaluations/$EVALUATION/finalize" 200)
echo "total $(json total <<< "$FINAL"), grade $(json grade <<< "$FINAL")"
RECOMMENDATION=$(call "$EVALUATOR" POST "/v1/evaluations/$EVALUATION/recommendations" 201 \
  -H 'content-type: application/json' \
  -d '{"text":"Perbaiki indikator agar memenuhi kriteria SMART","componentCode":"planning","priority":"high","dueDate":"2026-06-30"}' | json id)

# --- 7. operator: the follow-up (tindak lanjut); evaluator: verifies it -----------------------
step "follow-up"
call "$OPERATOR" POST "/v1/recommendations/$RECOMMENDATION/follow-ups" 201 -H 'content-type: application/json' \
  -d '{"action":"Indikator KES-01 dirumuskan ulang","progress":100}' > /dev/null
call "$OPERATOR" POST "/v1/recommendations/$RECOMMENDATION/status" 200 -H 'content-type: application/json' \
  -d '{"status":"completed"}' > /dev/null
call "$EVALUATOR" POST "/v1/recommendations/$RECOMMENDATION/status" 200 -H 'content-type: application/json' \
  -d '{"status":"verified","comment":"Bukti lengkap"}' > /dev/null
SUMMARY=$(call "$EVALUATOR" GET "/v1/agencies/$DEPT/follow-up-summary?year=2025" 200)
[ "$(json rate <<< "$SUMMARY")" = 100 ] || fail "expected a follow-up rate of 100: $SUMMARY"

step "done: agency $DEPT_CODE ($DEPT), follow-up rate 100"
