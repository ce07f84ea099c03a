/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "epsimo-client.h"

G_BEGIN_DECLS

/* The integration tests run the real test server (tests/server/, its path in
 * $EPSIMO_TEST_SERVER) in a child process on a free port, and talk to it
 * with the real EpsimoClient and services. */

typedef struct _EpsimoTestServer EpsimoTestServer;

/* g_test_init(), then exits with 77 (skipped) when $EPSIMO_TEST_SERVER is unset. */
void              epsimo_test_init                  (int          *argc,
                                                     char       ***argv);

/* Starts the server with `--port 0 --dialect @dialect` and the extra
 * arguments (NULL-terminated), reading its URL from its first stdout line.
 * Fails the test if it cannot start. */
EpsimoTestServer *epsimo_test_server_start          (const char   *dialect,
                                                     ...) G_GNUC_NULL_TERMINATED;
/* Stops the server (SIGTERM, then SIGKILL if it lingers) and frees @server. */
void              epsimo_test_server_stop           (EpsimoTestServer *server);
const char       *epsimo_test_server_get_url        (EpsimoTestServer *server);

/* Calls the server's control API: @method /_control/@name with @body (JSON
 * text, or NULL). Asserts a 2xx answer; returns it parsed (transfer full). */
JsonNode         *epsimo_test_server_control        (EpsimoTestServer *server,
                                                     const char       *method,
                                                     const char       *name,
                                                     const char       *body);
/* Seeds the server through the control API @name (POST, @body) and returns the first id
 * of the answer's array @member ("project_ids", "thread_ids"), transfer full. */
char             *epsimo_test_server_seed_first_id  (EpsimoTestServer *server,
                                                     const char       *name,
                                                     const char       *body,
                                                     const char       *member);
/* The next @count requests @method @path (the server's patterns: a "*"
 * at the end matches any rest) answer @status (with @body, JSON text, when not NULL). */
void              epsimo_test_server_fail           (EpsimoTestServer *server,
                                                     const char       *method,
                                                     const char       *path,
                                                     guint             status,
                                                     guint             count,
                                                     const char       *body);
/* The next @count matching requests get no answer until reset. */
void              epsimo_test_server_stall          (EpsimoTestServer *server,
                                                     const char       *method,
                                                     const char       *path,
                                                     guint             count);
/* The next run stream is cut after @after_events events. */
void              epsimo_test_server_cut            (EpsimoTestServer *server,
                                                     guint             after_events);
void              epsimo_test_server_reset          (EpsimoTestServer *server);
void              epsimo_test_server_expire_tokens  (EpsimoTestServer *server);
void              epsimo_test_server_clear_requests (EpsimoTestServer *server);
/* What the API saw (not /_control/), oldest first: objects {method, path,
 * query, authorization, content_type, body}. Transfer full. */
JsonArray        *epsimo_test_server_get_requests   (EpsimoTestServer *server);
/* The server's whole state (/_control/state). Transfer full. */
JsonObject       *epsimo_test_server_get_state      (EpsimoTestServer *server);

/* Requests of @requests matching @method (NULL: any) and @path, a glob
 * ("*" matches anything, "/" included). */
guint             epsimo_test_count_requests        (JsonArray        *requests,
                                                     const char       *method,
                                                     const char       *path);
/* The position of the first matching request in @requests, or G_MAXUINT. */
guint             epsimo_test_first_request_index   (JsonArray        *requests,
                                                     const char       *method,
                                                     const char       *path);
/* The last matching request, or NULL (borrowed from @requests). */
JsonObject       *epsimo_test_find_request          (JsonArray        *requests,
                                                     const char       *method,
                                                     const char       *path);
/* The JSON body of @request parsed (transfer full), or NULL. */
JsonObject       *epsimo_test_request_body          (JsonObject       *request);

/* A GAsyncReadyCallback whose user_data is a GAsyncResult** to fill. */
void              epsimo_test_async_cb              (GObject          *source,
                                                     GAsyncResult     *result,
                                                     gpointer          user_data);
/* Spins the main context until *@slot is set (fails the test after a long
 * safety limit); returns it, transfer full, and clears *@slot. */
GAsyncResult     *epsimo_test_await                 (GAsyncResult    **slot);
/* Spins the main context until @condition (@data) holds; same safety limit. */
void              epsimo_test_wait_for              (gboolean        (*condition) (gpointer data),
                                                     gpointer          data);
/* Spins until *@flag is TRUE. */
void              epsimo_test_wait_flag             (gboolean         *flag);

/* A new client of @server whose retries wait at most a few milliseconds
 * (the server's Retry-After hints aside). */
EpsimoClient     *epsimo_test_client_new            (EpsimoTestServer *server);
/* GET the projects through a projects service of @client, waiting for the answer. */
GPtrArray        *epsimo_test_list_projects         (EpsimoClient     *client,
                                                     GError          **error);

/* A credentials provider answering with the e-mail and password in @user_data
 * (an EpsimoTestAccount), counting its calls. */
typedef struct
{
  char *email;
  char *password;
  guint provided;
} EpsimoTestAccount;

void              epsimo_test_account_provider      (EpsimoClient     *client,
                                                     GCancellable     *cancellable,
                                                     GTask            *task,
                                                     gpointer          user_data);

/* A fixture shared by the service tests: a fresh server speaking the
 * dialect given as test data ("live", "reference", "both"), a client, and a
 * signed-up user signed in on it. */
typedef struct
{
  const char        *dialect;
  EpsimoTestServer  *server;
  EpsimoClient      *client;
  EpsimoTestAccount  account;
} EpsimoTestFixture;

void              epsimo_test_fixture_setup         (EpsimoTestFixture *fixture,
                                                     gconstpointer      dialect);
void              epsimo_test_fixture_teardown      (EpsimoTestFixture *fixture,
                                                     gconstpointer      dialect);

/* Adds @func as @path/live and @path/reference with the fixture. */
void              epsimo_test_add_both_dialects     (const char        *path,
                                                     void             (*func) (EpsimoTestFixture *,
                                                                               gconstpointer));

/* Synchronous conveniences (they spin the main context). */
char             *epsimo_test_create_project        (EpsimoTestFixture *fixture,
                                                     const char        *name);
char             *epsimo_test_create_assistant      (EpsimoTestFixture *fixture,
                                                     const char        *project_id,
                                                     const char        *name);
char             *epsimo_test_create_thread         (EpsimoTestFixture *fixture,
                                                     const char        *project_id,
                                                     const char        *assistant_id,
                                                     const char        *name);

/* Whether the fixture's server speaks the live dialect. */
gboolean          epsimo_test_fixture_is_live       (EpsimoTestFixture *fixture);

G_END_DECLS
