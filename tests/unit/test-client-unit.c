/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-client-unit"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "api/epsimo-api-error.h"
#include "api/epsimo-backoff.h"
#include "api/epsimo-client-private.h"
#include "api/epsimo-jwt.h"
#include "api/epsimo-request.h"

/* Base URLs ---------------------------------------------------------------- */

typedef struct
{
  const char *url;
  const char *normalized;   /* NULL: refused */
  const char *reason;       /* a word the refusal must contain */
} UrlCase;

static const UrlCase url_cases[] = {
  { "https://api.epsimoagents.com", "https://api.epsimoagents.com", NULL },
  { "https://api.example.com/", "https://api.example.com", NULL },
  { "  HTTPS://API.Example.com//  ", "https://api.example.com", NULL },
  { "https://example.com:8443/api/", "https://example.com:8443/api", NULL },
  { "http://127.0.0.1:8080", "http://127.0.0.1:8080", NULL },
  { "http://127.1.2.3/", "http://127.1.2.3", NULL },
  { "http://localhost", "http://localhost", NULL },
  { "http://LOCALHOST:5000/v1", "http://localhost:5000/v1", NULL },
  { "http://[::1]:1", "http://[::1]:1", NULL },
  { "http://example.com", NULL, "localhost" },
  { "http://10.0.0.1:8080", NULL, "https" },
  { "http://[::2]:80", NULL, "localhost" },
  { "ftp://example.com", NULL, "https" },
  { "https://", NULL, "host" },
  { "https:///path", NULL, "host" },
  { "not a url", NULL, "https://" },
  { "api.example.com", NULL, "https://" },
  { "", NULL, "address" },
  { NULL, NULL, "address" },
  { "https://user:secret@example.com", NULL, "password" },
  { "https://example.com/?a=b", NULL, "query" },
  { "https://example.com/#top", NULL, "fragment" },
  { "https://exa mple.com", NULL, "valid" },
  { "https://example.com/a<b", NULL, "valid" },
  { "https://bücher.example/", "https://xn--bcher-kva.example", NULL },
};

/* `build-aux/dev test --sanitize` and `build-aux/dev valgrind` run the programs many times
 * slower: they set EPSIMO_TEST_TIME_SCALE, and every wall-clock bound grows by it. */
static double
time_scale (void)
{
  const char *scale = g_getenv ("EPSIMO_TEST_TIME_SCALE");

  return scale != NULL ? MAX (g_ascii_strtod (scale, NULL), 1.0) : 1.0;
}

static void
test_url_validation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      const UrlCase *c = &url_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autofree char *normalized = NULL;
      gboolean valid;

      g_test_message ("URL %s", c->url ? c->url : "(null)");
      normalized = epsimo_client_normalize_base_url (c->url, &error);
      valid = epsimo_client_validate_base_url (c->url, &error2);

      if (c->normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_no_error (error2);
          g_assert_true (valid);
          g_assert_cmpstr (normalized, ==, c->normalized);
        }
      else
        {
          g_assert_null (normalized);
          g_assert_false (valid);
          g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_INVALID_URL);
          g_assert_error (error2, EPSIMO_API_ERROR, EPSIMO_API_ERROR_INVALID_URL);
          g_assert_nonnull (strstr (error->message, c->reason));
        }
    }
}

static void
test_url_plain_http_reason (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (epsimo_client_validate_base_url ("http://api.example.com", &error));
  g_assert_cmpstr (error->message, ==,
                   "Plain http is only allowed for this computer (localhost); use https");
  g_assert_false (epsimo_client_validate_base_url ("http://api.example.com", NULL));
}

static void
test_client_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoClient) client = NULL;
  g_autofree char *base_url = NULL;
  guint dialect;
  gint limit;
  gint64 reset;
  gboolean signed_in;

  client = epsimo_client_new ("http://example.com", &error);
  g_assert_null (client);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_INVALID_URL);
  g_clear_error (&error);

  client = epsimo_client_new ("https://api.example.com/", &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_cmpstr (epsimo_client_get_base_url (client), ==, "https://api.example.com");

  g_object_get (client, "base-url", &base_url, "dialect", &dialect,
                "rate-limit-limit", &limit, "rate-limit-reset", &reset,
                "signed-in", &signed_in, NULL);
  g_assert_cmpstr (base_url, ==, "https://api.example.com");
  g_assert_cmpuint (dialect, ==, EPSIMO_DIALECT_UNKNOWN);
  g_assert_cmpint (limit, ==, -1);
  g_assert_cmpint (reset, ==, 0);
  g_assert_false (signed_in);
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static char *make_jwt (const char *payload_json);

static void
test_client_tokens (void)
{
  g_autoptr(EpsimoClient) client = epsimo_client_new ("https://api.example.com", NULL);
  g_autofree char *jwt = make_jwt ("{\"exp\": 4102444800}");
  g_autofree char *copy = NULL;
  guint notified = 0;

  g_signal_connect (client, "notify::signed-in", G_CALLBACK (on_notify_count), &notified);

  epsimo_client_set_user_token (client, jwt);
  g_assert_true (epsimo_client_get_signed_in (client));
  g_assert_cmpuint (notified, ==, 1);
  copy = epsimo_client_dup_user_token (client);
  g_assert_cmpstr (copy, ==, jwt);

  /* Same state: no second notification. */
  epsimo_client_set_user_token (client, "opaque-token");
  g_assert_cmpuint (notified, ==, 1);

  epsimo_client_forget_tokens (client);
  g_assert_false (epsimo_client_get_signed_in (client));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (epsimo_client_dup_user_token (client));
}

static void
test_client_dialect (void)
{
  g_autoptr(EpsimoClient) a = epsimo_client_new ("https://dialect.example.com", NULL);
  g_autoptr(EpsimoClient) b = NULL;
  guint notified = 0;

  g_signal_connect (a, "notify::dialect", G_CALLBACK (on_notify_count), &notified);
  g_assert_cmpint (epsimo_client_get_dialect (a), ==, EPSIMO_DIALECT_UNKNOWN);

  epsimo_client_set_dialect (a, EPSIMO_DIALECT_REFERENCE);
  g_assert_cmpint (epsimo_client_get_dialect (a), ==, EPSIMO_DIALECT_REFERENCE);
  g_assert_cmpuint (notified, ==, 1);
  epsimo_client_set_dialect (a, EPSIMO_DIALECT_REFERENCE);
  g_assert_cmpuint (notified, ==, 1);

  /* Forcing is per client: a new client of the same server still probes. */
  b = epsimo_client_new ("https://dialect.example.com/", NULL);
  g_assert_cmpint (epsimo_client_get_dialect (b), ==, EPSIMO_DIALECT_UNKNOWN);

  epsimo_client_set_dialect (a, EPSIMO_DIALECT_UNKNOWN);
  g_assert_cmpint (epsimo_client_get_dialect (a), ==, EPSIMO_DIALECT_UNKNOWN);
  g_assert_cmpuint (notified, ==, 2);
}

/* Requests ----------------------------------------------------------------- */

static void
test_request (void)
{
  g_autoptr(EpsimoRequest) get = epsimo_request_new ("get", "/projects/");
  g_autoptr(EpsimoRequest) post = epsimo_request_new ("POST", "/runs/stream");
  g_autoptr(EpsimoRequest) del = epsimo_request_new ("DELETE", "/projects/p1?confirm=true");
  g_autoptr(JsonNode) live_body = json_from_string ("{\"a\": 1}", NULL);
  g_autoptr(JsonNode) ref_body = json_from_string ("{\"b\": 2}", NULL);
  g_autofree char *path_query = NULL;
  g_autofree char *del_query = NULL;
  g_autofree char *escaped = NULL;

  g_assert_cmpstr (epsimo_request_get_method (get, EPSIMO_DIALECT_UNKNOWN), ==, "GET");
  g_assert_true (epsimo_request_is_idempotent (get, EPSIMO_DIALECT_LIVE));
  g_assert_false (epsimo_request_is_idempotent (post, EPSIMO_DIALECT_LIVE));
  g_assert_true (epsimo_request_is_idempotent (del, EPSIMO_DIALECT_LIVE));
  g_assert_cmpint (epsimo_request_get_auth (get), ==, EPSIMO_AUTH_USER);

  epsimo_request_add_query (get, "before", "a b&c");
  epsimo_request_add_query (get, "limit", "50");
  path_query = epsimo_request_dup_path_and_query (get, EPSIMO_DIALECT_LIVE);
  g_assert_cmpstr (path_query, ==, "/projects/?before=a%20b%26c&limit=50");

  epsimo_request_add_query (del, "x", "1");
  del_query = epsimo_request_dup_path_and_query (del, EPSIMO_DIALECT_REFERENCE);
  g_assert_cmpstr (del_query, ==, "/projects/p1?confirm=true&x=1");

  /* Live POST, reference PUT: idempotency follows the form sent. */
  epsimo_request_set_body (post, live_body);
  epsimo_request_set_auth (post, EPSIMO_AUTH_PROJECT, "proj_1");
  g_assert_false (epsimo_request_has_reference (post));
  g_assert_true (epsimo_request_get_body (post, EPSIMO_DIALECT_REFERENCE)
                 == epsimo_request_get_body (post, EPSIMO_DIALECT_LIVE));
  epsimo_request_set_reference (post, "PUT", "/db/p/t/k", ref_body);
  g_assert_true (epsimo_request_has_reference (post));
  g_assert_cmpstr (epsimo_request_get_path (post, EPSIMO_DIALECT_UNKNOWN), ==, "/runs/stream");
  g_assert_cmpstr (epsimo_request_get_path (post, EPSIMO_DIALECT_REFERENCE), ==, "/db/p/t/k");
  g_assert_false (epsimo_request_is_idempotent (post, EPSIMO_DIALECT_LIVE));
  g_assert_true (epsimo_request_is_idempotent (post, EPSIMO_DIALECT_REFERENCE));
  g_assert_true (json_node_equal (epsimo_request_get_body (post, EPSIMO_DIALECT_REFERENCE),
                                  ref_body));
  g_assert_cmpstr (epsimo_request_get_project_id (post), ==, "proj_1");

  epsimo_request_set_idempotent (post, TRUE);
  g_assert_true (epsimo_request_is_idempotent (post, EPSIMO_DIALECT_LIVE));

  escaped = epsimo_request_escape ("a/b c");
  g_assert_cmpstr (escaped, ==, "a%2Fb%20c");
}

/* Backoff ------------------------------------------------------------------ */

static const EpsimoBackoffPolicy default_policy = {
  .base_us = 500000,
  .cap_us = 30 * G_USEC_PER_SEC,
  .max_tries = 5,
  .budget_us = 60 * G_USEC_PER_SEC,
};

static void
test_backoff_bounds (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 previous = 0;

  for (guint retry = 0; retry < 80; retry++)
    {
      gint64 ceiling = epsimo_backoff_ceiling (&default_policy, retry);
      gint64 max_seen = 0;

      g_assert_cmpint (ceiling, >=, previous);
      g_assert_cmpint (ceiling, <=, default_policy.cap_us);
      if (retry < 6)
        g_assert_cmpint (ceiling, ==, default_policy.base_us << retry);
      else
        g_assert_cmpint (ceiling, ==, default_policy.cap_us);
      previous = ceiling;

      for (guint i = 0; i < 200; i++)
        {
          gint64 delay = epsimo_backoff_jitter (&default_policy, retry, rand);

          g_assert_cmpint (delay, >=, 0);
          g_assert_cmpint (delay, <=, ceiling);
          max_seen = MAX (max_seen, delay);
        }
      /* Full jitter uses the whole range, not a sliver of it. */
      g_assert_cmpint (max_seen, >, ceiling / 2);
    }

  /* The global random source too. */
  for (guint i = 0; i < 100; i++)
    {
      gint64 delay = epsimo_backoff_jitter (&default_policy, 2, NULL);
      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, 2 * G_USEC_PER_SEC);
    }
}

static void
test_backoff_policy (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  EpsimoBackoffPolicy small = default_policy;
  gint64 delay;

  /* Tries 1..4 may retry; the 5th failure is the last. */
  for (guint tries = 1; tries < default_policy.max_tries; tries++)
    {
      g_assert_true (epsimo_backoff_next_delay (&default_policy, tries, 0, -1, rand, &delay));
      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, epsimo_backoff_ceiling (&default_policy, tries - 1));
    }
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 5, 0, -1, rand, &delay));
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 0, 0, -1, rand, &delay));

  /* The budget. */
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 1, 60 * G_USEC_PER_SEC, -1,
                                             rand, &delay));
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 1, 61 * G_USEC_PER_SEC, -1,
                                             rand, &delay));
  small.base_us = 10 * G_USEC_PER_SEC;
  for (guint i = 0; i < 50; i++)
    {
      g_assert_true (epsimo_backoff_next_delay (&small, 3, 59 * G_USEC_PER_SEC, -1, rand,
                                                &delay));
      g_assert_cmpint (delay, <=, 1 * G_USEC_PER_SEC);
    }

  /* The server's hint wins, however short or long, within the budget. */
  g_assert_true (epsimo_backoff_next_delay (&default_policy, 1, 0, 0, rand, &delay));
  g_assert_cmpint (delay, ==, 0);
  g_assert_true (epsimo_backoff_next_delay (&default_policy, 1, 0, 45 * G_USEC_PER_SEC, rand,
                                            &delay));
  g_assert_cmpint (delay, ==, 45 * G_USEC_PER_SEC);
  g_assert_true (epsimo_backoff_next_delay (&default_policy, 1, 10 * G_USEC_PER_SEC,
                                            50 * G_USEC_PER_SEC, rand, &delay));
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 1, 10 * G_USEC_PER_SEC,
                                             51 * G_USEC_PER_SEC, rand, &delay));
  g_assert_false (epsimo_backoff_next_delay (&default_policy, 5, 0, 0, rand, &delay));
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 10, 21, 7, 28, 0);
  gint64 when_us = g_date_time_to_unix (when) * G_USEC_PER_SEC;

  g_assert_cmpint (epsimo_backoff_parse_retry_after ("120", 0), ==, 120 * G_USEC_PER_SEC);
  g_assert_cmpint (epsimo_backoff_parse_retry_after (" 5 ", 0), ==, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("0", 0), ==, 0);
  g_assert_cmpint (epsimo_backoff_parse_retry_after (NULL, 0), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("", 0), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("-5", 0), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("1.5", 0), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("soon", 0), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("99999999999999999999", 0), ==, -1);

  /* IMF-fixdate, RFC 850 and asctime, 30 s ahead of "now". */
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT",
                                                     when_us - 30 * G_USEC_PER_SEC),
                   ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("Wednesday, 21-Oct-15 07:28:00 GMT",
                                                     when_us - 30 * G_USEC_PER_SEC),
                   ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("Wed Oct 21 07:28:00 2015",
                                                     when_us - 30 * G_USEC_PER_SEC),
                   ==, 30 * G_USEC_PER_SEC);
  /* A date in the past: go now. */
  g_assert_cmpint (epsimo_backoff_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT",
                                                     when_us + 30 * G_USEC_PER_SEC), ==, 0);
}

static void
test_rate_limit_reset (void)
{
  gint64 now_us = (gint64) 1700000000 * G_USEC_PER_SEC;

  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("0", "1700000010", now_us),
                   ==, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset (" 0 ", "1700000001", now_us + 500000),
                   ==, 500000);
  /* Quota left, or reset passed, or garbage: no hint. */
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("3", "1700000010", now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("0", "1699999990", now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("0", "1700000000", now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset (NULL, "1700000010", now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("0", NULL, now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("0", "tomorrow", now_us), ==, -1);
  g_assert_cmpint (epsimo_backoff_parse_rate_limit_reset ("none", "1700000010", now_us), ==, -1);
}

/* JWT ---------------------------------------------------------------------- */

static char *
base64url (const char *data)
{
  g_autofree char *std = g_base64_encode ((const guchar *) data, strlen (data));
  GString *out = g_string_new (NULL);

  for (const char *p = std; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
make_jwt (const char *payload_json)
{
  g_autofree char *header = base64url ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  g_autofree char *payload = base64url (payload_json);

  return g_strconcat (header, ".", payload, ".c2lnbmF0dXJl", NULL);
}

static void
test_jwt (void)
{
  /* "~~~" and "?\?\?>>>" make base64url's '-' and '_' appear in the payload. */
  const char *claims = "{\"sub\":\"usr_1~~~?\?\?>>>\",\"exp\":1700003600,\"iat\":1700000000}";
  g_autofree char *token = make_jwt (claims);
  g_autofree char *payload = base64url (claims);
  g_autofree char *fractional = make_jwt ("{\"exp\": 1700003600.75}");
  g_autofree char *string_exp = make_jwt ("{\"exp\": \"1700003600\"}");
  g_autofree char *no_exp = make_jwt ("{\"sub\": \"x\"}");
  g_autofree char *negative = make_jwt ("{\"exp\": -5}");
  g_autofree char *array = make_jwt ("[1, 2]");
  g_autofree char *not_json = make_jwt ("exp=1700003600");
  g_autofree char *four = g_strconcat (token, ".extra", NULL);

  g_assert_true (strchr (payload, '-') != NULL || strchr (payload, '_') != NULL);

  g_assert_cmpint (epsimo_jwt_get_expiry (token), ==, 1700003600);
  g_assert_cmpint (epsimo_jwt_get_expiry (fractional), ==, 1700003600);
  g_assert_cmpint (epsimo_jwt_get_expiry (string_exp), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (no_exp), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (negative), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (array), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (not_json), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (four), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (NULL), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry (""), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry ("proj_token_abc"), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry ("a.b"), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry ("a..c"), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry ("a.!!!!.c"), ==, 0);
  g_assert_cmpint (epsimo_jwt_get_expiry ("a.A.c"), ==, 0);
}

/* Error mapping ------------------------------------------------------------ */

typedef struct
{
  guint          status;
  const char    *body;
  EpsimoApiError code;
  const char    *message;   /* exact, or NULL to only check it is not empty */
  const char    *detail;
  const char    *field;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { 422, "{\"error\": \"Validation Error\", \"detail\": \"Field 'name' is required\", "
         "\"field\": \"name\"}",
    EPSIMO_API_ERROR_VALIDATION, "Field 'name' is required", "Field 'name' is required",
    "name" },
  { 401, "{\"error\": \"Invalid credentials\", \"detail\": \"Email or password is incorrect\"}",
    EPSIMO_API_ERROR_UNAUTHORIZED, "Email or password is incorrect",
    "Email or password is incorrect", NULL },
  { 401, "{\"error\": \"Unauthorized\", \"detail\": \"Token has expired or is invalid\", "
         "\"code\": \"TOKEN_EXPIRED\"}",
    EPSIMO_API_ERROR_UNAUTHORIZED, "Token has expired or is invalid",
    "Token has expired or is invalid", NULL },
  { 400, "{\"error\": \"Missing confirm\"}",
    EPSIMO_API_ERROR_VALIDATION, "Missing confirm", NULL, NULL },
  { 400, "{\"message\": \"Bad thing\"}",
    EPSIMO_API_ERROR_VALIDATION, "Bad thing", NULL, NULL },
  /* FastAPI's own validation answer. */
  { 422, "{\"detail\": [{\"loc\": [\"body\", \"config\", \"name\"], "
         "\"msg\": \"field required\", \"type\": \"value_error.missing\"}]}",
    EPSIMO_API_ERROR_VALIDATION, "field required", "field required", "name" },
  { 422, "{\"detail\": [{\"loc\": [\"body\", 0], \"msg\": \"bad\"}], \"field\": \"x\"}",
    EPSIMO_API_ERROR_VALIDATION, "bad", "bad", "x" },
  { 403, "{\"detail\": {\"message\": \"Not your project\"}}",
    EPSIMO_API_ERROR_FORBIDDEN, "Not your project", "Not your project", NULL },
  { 404, NULL, EPSIMO_API_ERROR_NOT_FOUND, NULL, NULL, NULL },
  { 404, "{\"detail\": \"Not Found\"}", EPSIMO_API_ERROR_NOT_FOUND, "Not Found", "Not Found",
    NULL },
  { 405, "", EPSIMO_API_ERROR_NOT_FOUND, NULL, NULL, NULL },
  { 409, "{\"detail\": \"A project with this name exists\"}",
    EPSIMO_API_ERROR_CONFLICT, "A project with this name exists",
    "A project with this name exists", NULL },
  { 429, "{\"detail\": 42, \"error\": \"Too Many Requests\"}",
    EPSIMO_API_ERROR_RATE_LIMITED, "Too Many Requests", NULL, NULL },
  { 429, "Slow down", EPSIMO_API_ERROR_RATE_LIMITED, NULL, NULL, NULL },
  { 500, "<html><body>Internal Server Error</body></html>",
    EPSIMO_API_ERROR_SERVER, "The server has a problem (error 500). Please try again later.",
    NULL, NULL },
  { 503, "[\"detail\"]", EPSIMO_API_ERROR_SERVER, NULL, NULL, NULL },
  { 502, "{\"detail\": \"   \"}", EPSIMO_API_ERROR_SERVER, NULL, NULL, NULL },
  { 402, "{\"detail\": \"No threads left\"}", EPSIMO_API_ERROR_FORBIDDEN, "No threads left",
    "No threads left", NULL },
  { 418, "{}", EPSIMO_API_ERROR_PROTOCOL, NULL, NULL, NULL },
  { 413, NULL, EPSIMO_API_ERROR_VALIDATION, NULL, NULL, NULL },
  { 422, "{\"detail\": null, \"field\": 5}", EPSIMO_API_ERROR_VALIDATION, NULL, NULL, NULL },
};

static void
test_error_mapping (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%u %s", c->status, c->body ? c->body : "(no body)");
      if (c->body != NULL)
        body = g_bytes_new_static (c->body, strlen (c->body));

      error = epsimo_client_error_from_response (c->status, body);
      g_assert_error (error, EPSIMO_API_ERROR, (int) c->code);
      g_assert_cmpuint (epsimo_api_error_get_status (error), ==, c->status);
      g_assert_cmpstr (epsimo_api_error_get_detail (error), ==, c->detail);
      g_assert_cmpstr (epsimo_api_error_get_field (error), ==, c->field);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 0);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
    }
}

static void
test_error_mapping_long_detail (void)
{
  g_autoptr(GString) json = g_string_new ("{\"detail\": \"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (json, "é");
  g_string_append (json, "\"}");
  body = g_bytes_new (json->str, json->len);

  error = epsimo_client_error_from_response (400, body);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 501);
  g_assert_true (g_str_has_suffix (error->message, "…"));
}

static void
test_transport_errors (void)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Op");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Connection refused");
  g_autoptr(GError) dns = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                               "Name or service not known");
  g_autoptr(GError) reset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                 "Connection reset by peer");
  g_autoptr(GError) timed_out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "t");
  g_autoptr(GError) cert = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                                "Unacceptable TLS certificate");
  g_autoptr(GError) parse = g_error_new_literal (SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING,
                                                 "bad");
  g_autoptr(GError) mapped = NULL;

  mapped = epsimo_client_error_from_transport (cancelled, "api.example.com");
  g_assert_error (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (mapped->message, ==, "Op");
  g_clear_error (&mapped);

  mapped = epsimo_client_error_from_transport (refused, "api.example.com");
  g_assert_error (mapped, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (mapped->message, "Could not connect to api.example.com"));
  g_assert_cmpuint (epsimo_api_error_get_status (mapped), ==, 0);
  g_clear_error (&mapped);

  mapped = epsimo_client_error_from_transport (dns, "api.example.com");
  g_assert_error (mapped, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (mapped->message, "api.example.com"));
  g_clear_error (&mapped);

  mapped = epsimo_client_error_from_transport (cert, "api.example.com");
  g_assert_error (mapped, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (mapped->message, "certificate"));
  g_assert_nonnull (strstr (mapped->message, "not trusted"));
  g_clear_error (&mapped);

  mapped = epsimo_client_error_from_transport (timed_out, "api.example.com");
  g_assert_error (mapped, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_clear_error (&mapped);

  mapped = epsimo_client_error_from_transport (parse, "api.example.com");
  g_assert_error (mapped, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&mapped);

  /* Safe to repeat even for a POST: nothing reached the server. */
  g_assert_true (epsimo_client_transport_error_is_retryable (refused, FALSE));
  g_assert_true (epsimo_client_transport_error_is_retryable (dns, FALSE));
  /* A dropped connection may have carried the request: only if idempotent. */
  g_assert_true (epsimo_client_transport_error_is_retryable (reset, TRUE));
  g_assert_false (epsimo_client_transport_error_is_retryable (reset, FALSE));
  g_assert_false (epsimo_client_transport_error_is_retryable (timed_out, TRUE));
  g_assert_false (epsimo_client_transport_error_is_retryable (cert, TRUE));
  g_assert_false (epsimo_client_transport_error_is_retryable (cancelled, TRUE));
}

/* Calls that fail before reaching any server ------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gboolean   ok;
  JsonNode  *node;
} CallResult;

static void
on_call_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallResult *r = user_data;

  r->ok = epsimo_client_call_finish (EPSIMO_CLIENT (object), result, &r->node, NULL, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_call_not_signed_in (void)
{
  g_autoptr(EpsimoClient) client = epsimo_client_new ("https://api.example.com", NULL);
  g_autoptr(EpsimoRequest) request = epsimo_request_new ("GET", "/projects/");
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  epsimo_client_call_async (client, request, NULL, on_call_done, &r);
  g_main_loop_run (r.loop);

  g_assert_false (r.ok);
  g_assert_null (r.node);
  g_assert_error (r.error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED);
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

/* Port 1 on loopback: refused at once, without a server. */
static void
test_call_refused_retries (void)
{
  g_autoptr(EpsimoClient) client = epsimo_client_new ("http://127.0.0.1:1", NULL);
  g_autoptr(EpsimoRequest) request = epsimo_request_new ("POST", "/auth/login");
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  gint64 start = g_get_monotonic_time ();

  g_object_set (client, "retry-base-delay", 0.02, "max-tries", 3, NULL);
  epsimo_request_set_auth (request, EPSIMO_AUTH_NONE, NULL);
  epsimo_client_call_async (client, request, NULL, on_call_done, &r);
  g_main_loop_run (r.loop);

  g_assert_false (r.ok);
  g_assert_error (r.error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (r.error->message, "Could not connect to 127.0.0.1"));
  /* Two short waits at most, never the default half second. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC * time_scale ());
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_call_cancelled_in_backoff (void)
{
  g_autoptr(EpsimoClient) client = epsimo_client_new ("http://127.0.0.1:1", NULL);
  g_autoptr(EpsimoRequest) request = epsimo_request_new ("GET", "/projects/");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  gint64 start = g_get_monotonic_time ();

  /* Long waits between tries: only the cancellation can end this soon. */
  g_object_set (client, "retry-base-delay", 30.0, "max-tries", 5, NULL);
  epsimo_client_set_user_token (client, "opaque");
  epsimo_client_call_async (client, request, cancellable, on_call_done, &r);
  g_timeout_add (200, cancel_later, cancellable);
  g_main_loop_run (r.loop);

  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC * time_scale ());
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

static void
test_call_cancelled_before (void)
{
  g_autoptr(EpsimoClient) client = epsimo_client_new ("http://127.0.0.1:1", NULL);
  g_autoptr(EpsimoRequest) request = epsimo_request_new ("GET", "/projects/");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  epsimo_client_set_user_token (client, "opaque");
  g_cancellable_cancel (cancellable);
  epsimo_client_call_async (client, request, cancellable, on_call_done, &r);
  /* The caller may drop its client at once: the call keeps what it needs. */
  g_clear_object (&client);
  g_main_loop_run (r.loop);

  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/url/validation", test_url_validation);
  g_test_add_func ("/client/url/plain-http-reason", test_url_plain_http_reason);
  g_test_add_func ("/client/new", test_client_new);
  g_test_add_func ("/client/tokens", test_client_tokens);
  g_test_add_func ("/client/dialect", test_client_dialect);
  g_test_add_func ("/client/request", test_request);
  g_test_add_func ("/client/backoff/bounds", test_backoff_bounds);
  g_test_add_func ("/client/backoff/policy", test_backoff_policy);
  g_test_add_func ("/client/backoff/retry-after", test_retry_after);
  g_test_add_func ("/client/backoff/rate-limit-reset", test_rate_limit_reset);
  g_test_add_func ("/client/jwt/exp", test_jwt);
  g_test_add_func ("/client/errors/response", test_error_mapping);
  g_test_add_func ("/client/errors/long-detail", test_error_mapping_long_detail);
  g_test_add_func ("/client/errors/transport", test_transport_errors);
  g_test_add_func ("/client/call/not-signed-in", test_call_not_signed_in);
  g_test_add_func ("/client/call/refused-retries", test_call_refused_retries);
  g_test_add_func ("/client/call/cancelled-in-backoff", test_call_cancelled_in_backoff);
  g_test_add_func ("/client/call/cancelled-before", test_call_cancelled_before);

  return g_test_run ();
}
