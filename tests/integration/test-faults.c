/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-client-private.h"
#include "epsimo-credits-service.h"
#include "epsimo-projects-service.h"
#include "epsimo-runs-service.h"
#include "epsimo-test-harness.h"
#include "epsimo-test-run.h"
#include "epsimo-threads-service.h"

/*
 * What real networks and hostile servers do, and what the user is left with: every fault
 * ends in one clear EPSIMO_API_ERROR (a sentence naming what happened, never a raw GIO or
 * libsoup message), the client stays usable, and nothing the user had is lost (the
 * message sent before a stream broke is on the server, the partial reply is kept).
 *
 * Besides the test server, some faults need a server that misbehaves in ways the test
 * server does not: those are SoupServers in this process, on 127.0.0.1 only.
 */

/* A user token the client will not try to renew: its `exp` is in 2100. */
#define FAR_TOKEN "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"

/* ---- calls, synchronously --------------------------------------------------------------- */

/* `build-aux/dev test --sanitize` and `build-aux/dev valgrind` run the programs many times
 * slower: they set EPSIMO_TEST_TIME_SCALE, and every wall-clock bound grows by it. */
static double
time_scale (void)
{
  const char *scale = g_getenv ("EPSIMO_TEST_TIME_SCALE");

  return scale != NULL ? MAX (g_ascii_strtod (scale, NULL), 1.0) : 1.0;
}

static gboolean
sign_in (EpsimoClient  *client,
         const char    *email,
         const char    *password,
         GError       **error)
{
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_auth_service_sign_in_async (auth, email, password, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_auth_service_sign_in_finish (auth, result, error);
}

static gboolean
sign_up (EpsimoClient  *client,
         const char    *email,
         const char    *password,
         GError       **error)
{
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_auth_service_sign_up_async (auth, email, password, NULL, NULL,
                                     epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_auth_service_sign_up_finish (auth, result, NULL, NULL, error);
}

static GPtrArray *
get_messages (EpsimoClient  *client,
              const char    *project_id,
              const char    *thread_id,
              GError       **error)
{
  g_autoptr(EpsimoThreadsService) threads = epsimo_threads_service_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_threads_service_get_messages_async (threads, project_id, thread_id, 0, NULL, NULL,
                                             epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_threads_service_get_messages_finish (threads, result, NULL, error);
}

/* A client of a server that is not the test server, with quick retries. */
static EpsimoClient *
client_for (const char *url)
{
  g_autoptr(GError) error = NULL;
  EpsimoClient *client;

  epsimo_client_forget_learned_dialects ();
  client = epsimo_client_new (url, &error);
  g_assert_no_error (error);
  g_object_set (client,
                "retry-base-delay", 0.001,
                "retry-max-delay", 0.005,
                "max-retry-time", 20.0,
                "max-tries", 4,
                NULL);
  return client;
}

/* The error a user reads: one of ours, a sentence, no raw library message. */
static void
assert_clear_error (const GError *error,
                    gint          code,
                    const char   *expected_part)
{
  g_assert_nonnull (error);
  g_test_message ("error shown: %s", error->message);
  g_assert_error (error, EPSIMO_API_ERROR, code);
  g_assert_cmpuint (strlen (error->message), >, 10);
  if (expected_part != NULL && strstr (error->message, expected_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected_part);
}

static double
seconds_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;
}

/* ---- a SoupServer on 127.0.0.1 --------------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  char       *url;         /* http(s)://127.0.0.1:PORT, no slash */
  GPtrArray  *requests;    /* "METHOD PATH|AUTHORIZATION" */
} Loopback;

static void
loopback_record (Loopback          *loopback,
                 SoupServerMessage *msg,
                 const char        *path)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_ptr_array_add (loopback->requests,
                   g_strdup_printf ("%s %s|%s", soup_server_message_get_method (msg), path,
                                    auth != NULL ? auth : ""));
}

static Loopback *
loopback_new (GTlsCertificate *certificate)
{
  Loopback *loopback = g_new0 (Loopback, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *text = NULL;

  loopback->server = soup_server_new ("tls-certificate", certificate, NULL);
  loopback->requests = g_ptr_array_new_with_free_func (g_free);
  soup_server_listen_local (loopback->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY
                            | (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (loopback->server);
  g_assert_nonnull (uris);
  text = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  loopback->url = g_steal_pointer (&text);
  return loopback;
}

static void
loopback_free (Loopback *loopback)
{
  soup_server_disconnect (loopback->server);
  g_object_unref (loopback->server);
  g_ptr_array_unref (loopback->requests);
  g_free (loopback->url);
  g_free (loopback);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loopback, loopback_free)

static guint
free_loopback_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* ---- server down at start, then up ----------------------------------------------------- */

static void
test_server_down (void)
{
  guint port = free_loopback_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(EpsimoClient) client = client_for (url);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoTestServer *server;

  /* Nothing listens: refused, retried (it cannot have been applied), then said plainly. */
  g_assert_false (sign_in (client, "down@example.test", "long enough password", &error));
  assert_clear_error (error, EPSIMO_API_ERROR_NETWORK, "refused the connection");
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_false (epsimo_client_get_signed_in (client));
  g_clear_error (&error);

  /* The server comes up on that port: the same client works, nothing to restart. */
  server = epsimo_test_server_start ("both", "--port", port_text, NULL);
  g_assert_cmpstr (epsimo_test_server_get_url (server), ==, url);
  g_assert_true (sign_up (client, "down@example.test", "long enough password", &error));
  g_assert_no_error (error);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);

  g_clear_object (&client);
  epsimo_test_server_stop (server);
}

/* ---- DNS failure ----------------------------------------------------------------------- */

/* A resolver that answers as RFC 6761 wants for every name under .invalid (and, here,
 * for any name at all): no such host. So no query leaves this machine. */
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
  guint     lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GError *
not_found (TestResolver *self,
           const char   *hostname)
{
  self->lookups++;
  return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                      "Error resolving “%s”: Name or service not known", hostname);
}

static GList *
test_resolver_lookup_by_name (GResolver     *resolver,
                              const char    *hostname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_propagate_error (error, not_found ((TestResolver *) resolver, hostname));
  return NULL;
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                         const char                *hostname,
                                         GResolverNameLookupFlags   flags,
                                         GCancellable              *cancellable,
                                         GError                   **error)
{
  return test_resolver_lookup_by_name (resolver, hostname, cancellable, error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                 *resolver,
                                               const char                *hostname,
                                               GResolverNameLookupFlags   flags,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, test_resolver_lookup_by_name_with_flags_async);
  g_task_return_error (task, not_found ((TestResolver *) resolver, hostname));
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname,
                                                 G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                 cancellable, callback, user_data);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

static void
test_dns_failure (void)
{
  g_autoptr(GResolver) system = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  client = client_for ("https://api.epsimo.invalid");

  g_assert_false (sign_in (client, "dns@example.test", "long enough password", &error));
  assert_clear_error (error, EPSIMO_API_ERROR_NETWORK, "Could not find the server");
  g_assert_nonnull (strstr (error->message, "api.epsimo.invalid"));
  g_assert_cmpuint (resolver->lookups, >, 0);
  g_clear_error (&error);

  epsimo_client_set_user_token (client, FAR_TOKEN);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_NETWORK, "api.epsimo.invalid");
  /* The token is kept for when the network is back. */
  g_assert_true (epsimo_client_get_signed_in (client));

  g_clear_object (&client);
  g_resolver_set_default (system);
}

/* ---- an invalid TLS certificate -------------------------------------------------------- */

static void
record_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Loopback *loopback = user_data;

  loopback_record (loopback, msg, path);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
}

static void
test_tls_invalid (void)
{
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "integration",
                                                "faults-self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(Loopback) loopback = NULL;
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

#if defined(__SANITIZE_ADDRESS__)
  /* GCC 12's LeakSanitizer crashes at exit in a process that loaded GnuTLS (it cannot
   * walk GnuTLS's dynamic thread-local storage): under ASan this test runs in a child
   * whose leaks are not checked, so that the other tests' are. */
  if (!g_test_subprocess ())
    {
      g_autofree char *options = g_strdup (g_getenv ("ASAN_OPTIONS"));
      g_autofree char *child = g_strconcat (options != NULL ? options : "",
                                            ":detect_leaks=0", NULL);

      g_setenv ("ASAN_OPTIONS", child, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (options != NULL)
        g_setenv ("ASAN_OPTIONS", options, TRUE);
      else
        g_unsetenv ("ASAN_OPTIONS");
      g_test_trap_assert_passed ();
      return;
    }
#endif

  if (g_tls_backend_get_default () == NULL
      || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking)");
      return;
    }

  certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  loopback = loopback_new (certificate);
  soup_server_add_handler (loopback->server, NULL, record_handler, loopback, NULL);
  g_assert_true (g_str_has_prefix (loopback->url, "https://127.0.0.1:"));

  client = client_for (loopback->url);
  g_assert_false (sign_in (client, "tls@example.test", "long enough password", &error));
  assert_clear_error (error, EPSIMO_API_ERROR_NETWORK, "not trusted");
  g_clear_error (&error);

  epsimo_client_set_user_token (client, FAR_TOKEN);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_NETWORK, "not trusted");

  /* Refused before any request went out: not the password, not the token. */
  g_assert_cmpuint (loopback->requests->len, ==, 0);
}

/* ---- 429 with Retry-After; bursts of 500 and 503 --------------------------------------- */

static void
test_retry_after (EpsimoTestFixture *fixture,
                  gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* The test server adds Retry-After: 1 to a 429: the client waits that second even
   * though its own backoff is a millisecond, then succeeds. */
  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 429, 1, NULL);
  start = g_get_monotonic_time ();
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_assert_cmpfloat (seconds_since (start), >=, 0.9);
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/projects/"), ==, 2);
  g_clear_pointer (&projects, g_ptr_array_unref);
  g_clear_pointer (&requests, json_array_unref);

  /* Rate-limited for longer than the user should wait: a clear message at once. */
  g_object_set (fixture->client, "max-retry-time", 0.5, NULL);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 429, 5,
                           "{\"error\": \"Too Many Requests\", "
                           "\"detail\": \"Slow down: 60 requests per minute\"}");
  start = g_get_monotonic_time ();
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_RATE_LIMITED, "Slow down");
  g_assert_cmpuint (epsimo_api_error_get_status (error), ==, 429);
  g_assert_cmpfloat (seconds_since (start), <, 0.9 * time_scale ());
}

static void
test_server_error_bursts (EpsimoTestFixture *fixture,
                          gconstpointer      data)
{
  g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (fixture->client);
  g_autoptr(EpsimoProject) draft = epsimo_project_new ("Quarterly report", "Numbers");
  g_autoptr(EpsimoProject) created = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* A burst of 503 (and a 502) on a read: retried through, the user sees nothing. */
  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 503, 2, NULL);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 502, 1, NULL);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/projects/"), ==, 4);
  g_clear_pointer (&projects, g_ptr_array_unref);
  g_clear_pointer (&requests, json_array_unref);

  /* A longer burst than the client's tries: the server's own words, and the status. */
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 503, 10,
                           "{\"error\": \"Service Unavailable\", "
                           "\"detail\": \"Down for maintenance until 14:00\"}");
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_SERVER, "Down for maintenance");
  g_assert_cmpuint (epsimo_api_error_get_status (error), ==, 503);
  g_clear_error (&error);
  epsimo_test_server_reset (fixture->server);

  /* A burst of 500 on a creation: a server bug, not a busy server, so not repeated (it
   * may have been applied); the draft is the caller's still, and once the burst is over
   * the same draft is created exactly once. */
  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "POST", "/projects/", 500, 3, NULL);
  for (guint i = 0; i < 3; i++)
    {
      epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
      result = epsimo_test_await (&slot);
      created = epsimo_projects_service_create_finish (service, result, &error);
      g_clear_object (&result);
      g_assert_null (created);
      assert_clear_error (error, EPSIMO_API_ERROR_SERVER, NULL);
      g_assert_cmpuint (epsimo_api_error_get_status (error), ==, 500);
      g_clear_error (&error);
    }
  g_assert_cmpstr (epsimo_project_get_name (draft), ==, "Quarterly report");
  epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  created = epsimo_projects_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_name (created), ==, "Quarterly report");
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/projects/"), ==, 4);

  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 1);
}

/* ---- malformed JSON -------------------------------------------------------------------- */

static void
test_malformed_json (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  answer = epsimo_test_server_control (fixture->server, "POST", "malformed",
                                       "{\"path\": \"/projects/\", \"count\": 1}");
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, "could not be read");
  g_clear_error (&error);

  /* A well-formed answer of the wrong shape is no better, and no crash either. */
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 200, 1,
                           "{\"projects\": {\"not\": \"a list\"}}");
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, NULL);
  g_clear_error (&error);

  /* The client is unharmed. */
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
}

/* JSON nested 100,000 deep: json-glib 1.6 recurses once per level, so this used to
 * overflow the stack and crash the app. Refused before parsing now. */
static void
deep_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  gsize depth = 100000;
  char *body = g_malloc (2 * depth);

  memset (body, '[', depth);
  memset (body + depth, ']', depth);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    2 * depth);
}

static void
test_deeply_nested_json (void)
{
  g_autoptr(Loopback) loopback = loopback_new (NULL);
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  soup_server_add_handler (loopback->server, NULL, deep_handler, NULL, NULL);
  client = client_for (loopback->url);
  epsimo_client_set_user_token (client, FAR_TOKEN);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, "could not be read");
}

/* ---- a 50 MB answer where a small one was expected ------------------------------------- */

#define HUGE_BYTES (50 * 1024 * 1024)
#define HUGE_CHUNK (64 * 1024)

/* Peak resident memory since the last reset, in KiB (Linux's VmHWM). */
static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0). */
static gboolean
reset_peak_rss (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

/* Under ASan or valgrind the process's memory says nothing about the client's. */
static gboolean
memory_is_measurable (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return FALSE;
#else
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload == NULL || strstr (preload, "vgpreload") == NULL;
#endif
}

typedef struct
{
  guint64  sent;
  gboolean done;       /* finished or disconnected: no more unpausing */
} HugeStream;

static void
huge_next_chunk (SoupServerMessage *msg,
                 HugeStream        *huge)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint64 len;
  char *chunk;

  if (huge->done)
    return;
  len = MIN (HUGE_CHUNK, HUGE_BYTES - huge->sent);
  if (len == 0)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (msg);
      return;
    }
  chunk = g_malloc (len);
  memset (chunk, huge->sent == 0 ? ' ' : 'x', len);
  if (huge->sent == 0)
    memcpy (chunk, "{\"data\":\"", 9);
  huge->sent += len;
  soup_message_body_append_take (body, (guchar *) chunk, len);
  soup_server_message_unpause (msg);
}

static void
huge_stop (SoupServerMessage *msg,
           HugeStream        *huge)
{
  huge->done = TRUE;
}

static void
huge_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  HugeStream *huge = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Chunked, so no Content-Length warns the client: it must stop reading by itself. */
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_next_chunk), huge);
  g_signal_connect (msg, "finished", G_CALLBACK (huge_stop), huge);
  g_signal_connect (msg, "disconnected", G_CALLBACK (huge_stop), huge);
  huge_next_chunk (msg, huge);
}

static void
test_huge_response (EpsimoTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(Loopback) loopback = NULL;
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"path\": \"/projects/\", \"bytes\": %d}",
                                           HUGE_BYTES);
  HugeStream huge = { 0, FALSE };
  gboolean measurable = memory_is_measurable () && reset_peak_rss ();
  gint64 before;
  gint64 growth;

  if (!measurable)
    g_test_message ("Memory not measured (ASan, valgrind, or no /proc/self/clear_refs)");

  /* Announced with its Content-Length: refused before one byte of it is read. */
  before = peak_rss_kib ();
  answer = epsimo_test_server_control (fixture->server, "POST", "huge", body);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, "larger than");
  g_clear_error (&error);
  growth = peak_rss_kib () - before;
  g_test_message ("Content-Length 50 MB: peak RSS grew by %" G_GINT64_FORMAT " KiB", growth);
  if (measurable)
    g_assert_cmpint (growth, <, 8 * 1024);

  /* Sent chunked: read up to the cap (16 MiB), never further, never whole. */
  loopback = loopback_new (NULL);
  soup_server_add_handler (loopback->server, NULL, huge_handler, &huge, NULL);
  client = client_for (loopback->url);
  epsimo_client_set_user_token (client, FAR_TOKEN);
  reset_peak_rss ();
  before = peak_rss_kib ();
  projects = epsimo_test_list_projects (client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, "larger than");
  g_clear_error (&error);
  growth = peak_rss_kib () - before;
  g_test_message ("chunked 50 MB: the server got %" G_GUINT64_FORMAT " bytes out, "
                  "peak RSS grew by %" G_GINT64_FORMAT " KiB", huge.sent, growth);
  /* The client stopped reading: the server could not write it all. */
  g_assert_cmpuint (huge.sent, <, HUGE_BYTES);
  if (measurable)
    g_assert_cmpint (growth, <, 40 * 1024);

  /* The test server's client is still fine. */
  epsimo_test_server_reset (fixture->server);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
}

/* ---- runs: dropped, stalled, token expiring -------------------------------------------- */

/* A run on @client's own runs service; it must start. */
static EpsimoRunStream *
start_run (EpsimoClient        *client,
           const char          *project_id,
           const char          *thread_id,
           const char          *assistant_id,
           const char          *text,
           EpsimoTestCollector *collector)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (client);
  g_autoptr(GError) error = NULL;
  EpsimoRunStream *stream;

  stream = epsimo_test_start_run (service, project_id, thread_id, assistant_id, text, collector,
                                  &error);
  g_assert_no_error (error);
  return stream;
}

/* What the server kept of the conversation. */
static GPtrArray *
chat_history (EpsimoTestFixture *fixture,
              EpsimoTestChat              *chat)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *history;

  history = get_messages (fixture->client, chat->project_id, chat->thread_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);
  return history;
}

static void
test_stream_dropped (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GPtrArray) history = NULL;
  EpsimoRunEvent *last;
  EpsimoTestCollector collector;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Faults");
  epsimo_test_collector_init (&collector);

  epsimo_test_server_cut (fixture->server, 12);
  stream = start_run (fixture->client, chat.project_id, chat.thread_id, chat.assistant_id,
                      "Tell me about the connection", &collector);
  epsimo_test_wait_flag (&collector.ended);

  last = epsimo_test_collector_last (&collector);
  g_assert_cmpint (last->kind, ==, EPSIMO_RUN_EVENT_ERROR);
  assert_clear_error (last->error, EPSIMO_API_ERROR_NETWORK, NULL);
  g_assert_cmpstr (last->error_message, ==, last->error->message);
  /* The part that arrived is there to keep on screen, marked incomplete by the view. */
  g_assert_cmpuint (collector.deltas, >, 0);
  g_assert_cmpuint (collector.text->len, >, 0);

  /* The message the user sent is on the server: Retry does not have to type it again,
   * and the conversation goes on with the same client. */
  history = chat_history (fixture, &chat);
  g_assert_cmpuint (history->len, >=, 1);
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 0)), ==,
                   "Tell me about the connection");

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

static void
test_token_expires_mid_stream (EpsimoTestFixture *fixture,
                               gconstpointer      data)
{
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GPtrArray) history = NULL;
  EpsimoMessage *reply;
  EpsimoTestCollector collector;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Faults");
  epsimo_test_collector_init (&collector);
  epsimo_client_set_credentials_provider (fixture->client, epsimo_test_account_provider,
                                          &fixture->account, NULL);
  stream = start_run (fixture->client, chat.project_id, chat.thread_id, chat.assistant_id,
                      "Hello while the token runs out", &collector);
  while (collector.deltas == 0 && !collector.ended)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (collector.ended);
  epsimo_test_server_expire_tokens (fixture->server);
  epsimo_test_wait_flag (&collector.ended);

  /* A stream that was let in runs to its end: the reply is whole. */
  g_assert_cmpint (epsimo_test_collector_last (&collector)->kind, ==, EPSIMO_RUN_EVENT_DONE);
  g_assert_nonnull (strstr (collector.text->str, "Hello while the token runs out"));

  /* The next call renews the tokens by itself, and finds the whole exchange stored. */
  history = chat_history (fixture, &chat);
  g_assert_cmpuint (fixture->account.provided, ==, 1);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 0)), ==,
                   "Hello while the token runs out");
  reply = g_ptr_array_index (history, 1);
  g_assert_cmpstr (epsimo_message_get_content (reply), ==, collector.text->str);

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

/* A server that starts a reply and then goes silent, without closing. */
typedef struct
{
  Loopback   *loopback;
  const char *events;
} StallServer;

static const char reference_stall[] =
  "data: {\"type\":\"start\",\"run_id\":\"run_stall\",\"thread_id\":\"thread_1\"}\n\n"
  "data: {\"type\":\"content\",\"delta\":\"The first half \"}\n\n"
  "data: {\"type\":\"content\",\"delta\":\"of a reply\"}\n\n";

static const char live_stall[] =
  "event: metadata\ndata: {\"run_id\":\"run_stall\",\"thread_id\":\"thread_1\"}\n\n"
  "event: messages\ndata: [{\"id\":\"msg_1\",\"type\":\"AIMessageChunk\","
  "\"content\":\"The first half \"}]\n\n"
  "event: messages\ndata: [{\"id\":\"msg_1\",\"type\":\"AIMessageChunk\","
  "\"content\":\"The first half of a reply\"}]\n\n";

static void
stall_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  StallServer *stall = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  loopback_record (stall->loopback, msg, path);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            stall->events, strlen (stall->events));
  /* Never completed: the connection stays open and silent until the server is freed. */
}

static void
test_stream_stalled (gconstpointer data)
{
  gboolean live = g_str_equal (data, "live");
  g_autoptr(Loopback) loopback = loopback_new (NULL);
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(EpsimoRunStream) stream = NULL;
  StallServer stall = { loopback, live ? live_stall : reference_stall };
  EpsimoRunEvent *last;
  EpsimoTestCollector collector;
  gint64 start;

  soup_server_add_handler (loopback->server, NULL, stall_handler, &stall, NULL);
  client = client_for (loopback->url);
  epsimo_client_set_dialect (client, live ? EPSIMO_DIALECT_LIVE : EPSIMO_DIALECT_REFERENCE);
  epsimo_client_set_user_token (client, FAR_TOKEN);
  epsimo_client_set_project_token (client, "project_1", FAR_TOKEN);
  /* 60 s in the app; one here. */
  g_object_set (client, "timeout", 1, NULL);

  epsimo_test_collector_init (&collector);
  start = g_get_monotonic_time ();
  stream = start_run (client, "project_1", "thread_1", "assistant_1", "Hello", &collector);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_cmpfloat (seconds_since (start), >=, 0.9);
  g_assert_cmpfloat (seconds_since (start), <, 10 * time_scale ());
  last = epsimo_test_collector_last (&collector);
  g_assert_cmpint (last->kind, ==, EPSIMO_RUN_EVENT_ERROR);
  assert_clear_error (last->error, EPSIMO_API_ERROR_NETWORK, NULL);
  /* The partial reply is kept. */
  g_assert_cmpstr (collector.text->str, ==, "The first half of a reply");
  g_assert_cmpuint (loopback->requests->len, ==, 1);

  epsimo_test_collector_clear (&collector);
}

/* ---- security: plain http, redirects, checkout ----------------------------------------- */

static void
test_plain_http_refused (void)
{
  static const char * const refused[] = {
    "http://api.epsimoagents.com",
    "http://example.com:8080/api",
    "http://127.0.0.1.nip.io",
    "http://localhost.example.com",
    "http://10.0.0.1",
    "http://[2001:db8::1]",
    "ftp://127.0.0.1",
    "file:///etc/passwd",
    "https://user:secret@api.epsimoagents.com",
  };
  static const char * const accepted[] = {
    "https://api.epsimoagents.com",
    "http://127.0.0.1:8080",
    "http://127.0.0.2",
    "http://localhost:8000/",
    "HTTP://LOCALHOST",
    "http://[::1]:8080",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpsimoClient) client = epsimo_client_new (refused[i], &error);

      g_test_message ("%s: %s", refused[i], error != NULL ? error->message : "accepted");
      g_assert_null (client);
      assert_clear_error (error, EPSIMO_API_ERROR_INVALID_URL, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpsimoClient) client = epsimo_client_new (accepted[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (client);
    }
}

typedef struct
{
  Loopback *loopback;
  char     *location;   /* where /projects/ is sent on */
} Redirector;

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Redirector *redirector = user_data;

  loopback_record (redirector->loopback, msg, path);
  if (g_str_equal (path, "/projects/"))
    {
      soup_server_message_set_redirect (msg, 302, redirector->location);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
}

static void
test_redirect_keeps_token (void)
{
  g_autoptr(Loopback) origin = loopback_new (NULL);
  g_autoptr(Loopback) other = loopback_new (NULL);
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_auth = g_strdup_printf ("GET /projects/|Bearer %s", FAR_TOKEN);
  g_autofree char *moved_auth = g_strdup_printf ("GET /moved/projects/|Bearer %s", FAR_TOKEN);
  Redirector to_other = { origin, NULL };
  Redirector at_other = { other, NULL };

  /* Another loopback port is another origin, like another host. */
  to_other.location = g_strconcat (other->url, "/projects/", NULL);
  at_other.location = g_strdup ("/elsewhere");
  soup_server_add_handler (origin->server, NULL, redirect_handler, &to_other, NULL);
  soup_server_add_handler (other->server, NULL, redirect_handler, &at_other, NULL);

  client = client_for (origin->url);
  epsimo_client_set_user_token (client, FAR_TOKEN);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_null (projects);
  assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, "not followed");
  g_clear_error (&error);

  g_assert_cmpuint (origin->requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (origin->requests, 0), ==, expected_auth);
  /* Not followed at all: the other server saw nothing, so certainly no token. */
  g_assert_cmpuint (other->requests->len, ==, 0);

  /* On the same origin a redirect is followed, with the token. */
  g_free (to_other.location);
  to_other.location = g_strconcat (origin->url, "/moved/projects/", NULL);
  g_ptr_array_set_size (origin->requests, 0);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_assert_cmpuint (origin->requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (origin->requests, 1), ==, moved_auth);
  g_assert_cmpuint (other->requests->len, ==, 0);

  g_clear_object (&client);
  g_free (to_other.location);
  g_free (at_other.location);
}

static void
test_checkout_not_https (EpsimoTestFixture *fixture,
                         gconstpointer      data)
{
  static const char * const urls[] = {
    "http://checkout.stripe.com/c/pay/cs_test_1",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://",
    "https://user@checkout.stripe.com/c/pay/cs_test_1",
    "checkout.stripe.com/c/pay/cs_test_1",
  };
  g_autoptr(EpsimoCreditsService) credits = epsimo_credits_service_new (fixture->client);
  const char *path = epsimo_test_fixture_is_live (fixture) ? "/checkout/create-checkout-session"
                                                           : "/credits/checkout";

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *body = NULL;
      g_autofree char *url = NULL;
      GAsyncResult *slot = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, urls[i]);
      json_builder_set_member_name (builder, "session_id");
      json_builder_add_string_value (builder, "cs_test_1");
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      body = json_to_string (node, FALSE);

      epsimo_test_server_fail (fixture->server, "POST", path, 200, 1, body);
      epsimo_credits_service_checkout_async (credits, 10, NULL, epsimo_test_async_cb, &slot);
      result = epsimo_test_await (&slot);
      url = epsimo_credits_service_checkout_finish (credits, result, NULL, &error);
      g_test_message ("%s: %s", urls[i], error != NULL ? error->message : "handed out");
      /* Never handed to the caller, so never opened. */
      g_assert_null (url);
      assert_clear_error (error, EPSIMO_API_ERROR_PROTOCOL, NULL);
    }
}

/* ---- secrets out of the logs ----------------------------------------------------------- */

/* Every g_log() of the process, debug included, goes through here while installed. */
static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  GString *capture = user_data;

  g_string_append_printf (capture, "%s: %s\n", domain != NULL ? domain : "", message);
  /* Criticals still fail the test. */
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING))
    g_log_default_handler (domain, level, message, NULL);
}

static void
test_no_secrets_in_logs (EpsimoTestFixture *fixture,
                         gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GString) capture = g_string_new (NULL);
  GLogFunc previous;

  /* Signing in, a retry and a renewal, all logged. */
  /* The default handler takes no data (the previous one's, if any, is NULL in tests). */
  previous = g_log_set_default_handler (capture_log, capture);
  epsimo_client_set_credentials_provider (fixture->client, epsimo_test_account_provider,
                                          &fixture->account, NULL);
  g_assert_true (sign_in (fixture->client, fixture->account.email, fixture->account.password,
                          &error));
  g_assert_no_error (error);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 503, 1, NULL);
  epsimo_test_server_expire_tokens (fixture->server);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_log_set_default_handler (previous, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  token = epsimo_client_dup_user_token (fixture->client);

  g_test_message ("%" G_GSIZE_FORMAT " bytes of log:\n%s", capture->len, capture->str);
  g_assert_cmpuint (capture->len, >, 0);
  g_assert_null (strstr (capture->str, fixture->account.password));
  g_assert_null (strstr (capture->str, token));
  /* Not even a token's signature, the part that makes it a key. */
  g_assert_null (strstr (capture->str, strrchr (token, '.') + 1));
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  g_test_add_func ("/faults/server-down", test_server_down);
  g_test_add_func ("/faults/dns-failure", test_dns_failure);
  g_test_add_func ("/faults/tls-invalid-certificate", test_tls_invalid);
  epsimo_test_add_both_dialects ("/faults/retry-after", test_retry_after);
  epsimo_test_add_both_dialects ("/faults/server-error-bursts", test_server_error_bursts);
  epsimo_test_add_both_dialects ("/faults/malformed-json", test_malformed_json);
  g_test_add_func ("/faults/deeply-nested-json", test_deeply_nested_json);
  g_test_add ("/faults/huge-response", EpsimoTestFixture, "both",
              epsimo_test_fixture_setup, test_huge_response, epsimo_test_fixture_teardown);
  epsimo_test_add_both_dialects ("/faults/stream-dropped", test_stream_dropped);
  g_test_add_data_func ("/faults/stream-stalled/live", "live", test_stream_stalled);
  g_test_add_data_func ("/faults/stream-stalled/reference", "reference", test_stream_stalled);
  epsimo_test_add_both_dialects ("/faults/token-expires-mid-stream",
                                 test_token_expires_mid_stream);
  g_test_add_func ("/security/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/security/redirect-keeps-token", test_redirect_keeps_token);
  epsimo_test_add_both_dialects ("/security/checkout-not-https", test_checkout_not_https);
  g_test_add ("/security/no-secrets-in-logs", EpsimoTestFixture, "both",
              epsimo_test_fixture_setup, test_no_secrets_in_logs,
              epsimo_test_fixture_teardown);

  return g_test_run ();
}
