/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-database-service"

#include "config.h"

#include "epsimo-api-error.h"
#include "epsimo-database-service.h"
#include "epsimo-test-harness.h"

typedef struct
{
  EpsimoTestFixture     *fixture;
  EpsimoDatabaseService *service;
  char                  *project_id;
  char                  *thread_id;
} Db;

/* A project, an assistant and a thread of @messages seeded messages, and the service. */
static void
db_open (Db                *db,
         EpsimoTestFixture *fixture,
         guint              messages)
{
  g_autofree char *assistant_id = NULL;
  g_autofree char *seed = NULL;

  db->fixture = fixture;
  db->service = epsimo_database_service_new (fixture->client);
  db->project_id = epsimo_test_create_project (fixture, "Database");
  assistant_id = epsimo_test_create_assistant (fixture, db->project_id, "Helper");
  db->thread_id = epsimo_test_create_thread (fixture, db->project_id, assistant_id, "T");
  seed = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": %u}", db->thread_id,
                          messages);
  json_node_unref (epsimo_test_server_control (fixture->server, "POST", "seed-messages", seed));
}

static void
db_close (Db *db)
{
  g_clear_object (&db->service);
  g_clear_pointer (&db->project_id, g_free);
  g_clear_pointer (&db->thread_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Db, db_close)

static gboolean
set_key (Db          *db,
         const char  *key,
         const char  *json,
         GError     **error)
{
  g_autoptr(JsonNode) value = json_from_string (json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  g_assert_nonnull (value);
  epsimo_database_service_set_key_async (db->service, db->project_id, db->thread_id, key, value,
                                         NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_database_service_set_key_finish (db->service, result, error);
}

static JsonNode *
get_key (Db          *db,
         const char  *key,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_database_service_get_key_async (db->service, db->project_id, db->thread_id, key,
                                         NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_database_service_get_key_finish (db->service, result, error);
}

static JsonObject *
get_all (Db      *db,
         GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_database_service_get_all_async (db->service, db->project_id, db->thread_id,
                                         NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_database_service_get_all_finish (db->service, result, error);
}

static void
test_database (EpsimoTestFixture *fixture,
               gconstpointer      data)
{
  g_auto(Db) db = { 0 };
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* The conversation is in the live state too: it must not show. */
  db_open (&db, fixture, 3);

  all = get_all (&db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (all), ==, 0);
  g_clear_pointer (&all, json_object_unref);

  g_assert_true (set_key (&db, "prefs", "{\"theme\": \"dark\", \"lang\": \"en\"}", &error));
  g_assert_no_error (error);
  g_assert_true (set_key (&db, "count", "3", &error));
  g_assert_no_error (error);
  g_assert_true (set_key (&db, "gone", "null", &error));
  g_assert_no_error (error);

  requests = epsimo_test_server_get_requests (fixture->server);
  if (epsimo_test_fixture_is_live (fixture))
    {
      JsonObject *values;

      body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST",
                                                                 "/threads/*/state"));
      g_assert_nonnull (body);
      values = json_object_get_object_member (body, "values");
      g_assert_cmpuint (json_object_get_size (values), ==, 1);
      g_assert_true (json_object_get_null_member (values, "gone"));
      g_assert_nonnull (json_object_get_object_member (body, "config"));
      g_assert_cmpuint (epsimo_test_count_requests (requests, "PUT", "/db/*"), ==, 0);
    }
  else
    {
      g_autofree char *path = g_strdup_printf ("/db/%s/%s/prefs", db.project_id, db.thread_id);
      JsonObject *prefs;

      body = epsimo_test_request_body (epsimo_test_find_request (requests, "PUT", path));
      g_assert_nonnull (body);
      prefs = json_object_get_object_member (body, "value");
      g_assert_cmpstr (json_object_get_string_member (prefs, "theme"), ==, "dark");
      g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/threads/*/state"), ==, 0);
    }

  all = get_all (&db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (all), ==, 3);
  g_assert_false (json_object_has_member (all, "messages"));
  g_assert_cmpint (json_object_get_int_member (all, "count"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (all, "prefs"),
                                                  "lang"), ==, "en");

  value = get_key (&db, "prefs", &error);
  g_assert_no_error (error);
  text = json_to_string (value, FALSE);
  g_assert_cmpstr (text, ==, "{\"theme\":\"dark\",\"lang\":\"en\"}");
  g_clear_pointer (&value, json_node_unref);

  value = get_key (&db, "gone", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (value));
  g_clear_pointer (&value, json_node_unref);

  value = get_key (&db, "missing", &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
  g_assert_null (value);
  g_clear_error (&error);

  /* "messages" is the conversation: refused before anything is sent. */
  epsimo_test_server_clear_requests (fixture->server);
  g_assert_false (set_key (&db, "messages", "[]", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
  g_assert_cmpstr (epsimo_api_error_get_field (error), ==, "key");
  g_clear_pointer (&requests, json_array_unref);
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (json_array_get_length (requests), ==, 0);
}

/* A long live thread: its state carries the whole conversation, far more than the client
 * reads in one answer (a small cap here stands for 18 MB against 16 MiB). The keys are
 * still read and written; the conversation is skipped as it arrives. */
static void
test_long_thread (EpsimoTestFixture *fixture,
                  gconstpointer      data)
{
  g_auto(Db) db = { 0 };
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  db_open (&db, fixture, 400);
  g_object_set (fixture->client, "max-response-size", (guint64) 64 * 1024, NULL);

  g_assert_true (set_key (&db, "prefs", "{\"theme\": \"dark\"}", &error));
  g_assert_no_error (error);
  g_assert_true (set_key (&db, "count", "3", &error));
  g_assert_no_error (error);

  all = get_all (&db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (all), ==, 2);
  g_assert_false (json_object_has_member (all, "messages"));
  g_assert_cmpint (json_object_get_int_member (all, "count"), ==, 3);

  value = get_key (&db, "prefs", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (value), "theme"), ==,
                   "dark");
  g_clear_pointer (&value, json_node_unref);

  value = get_key (&db, "missing", &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
  g_assert_null (value);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/database-service/keys", test_database);
  epsimo_test_add_both_dialects ("/database-service/long-thread", test_long_thread);

  return g_test_run ();
}
