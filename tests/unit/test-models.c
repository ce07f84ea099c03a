/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-models"

#include "config.h"

#include <json-glib/json-glib.h>

#include "epsimo-api-error.h"
#include "epsimo-assistant.h"
#include "epsimo-balance.h"
#include "epsimo-file.h"
#include "epsimo-json.h"
#include "epsimo-message.h"
#include "epsimo-project.h"
#include "epsimo-thread.h"
#include "epsimo-tool.h"

/* Fixtures are taken from shared/api/reference.md (reference dialect) and
 * shared/api/wire-protocol.md plus the SDK's payloads (live dialect). */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = epsimo_json_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

#define OBJ(node) (json_node_get_object (node))

static void
assert_date (GDateTime  *date_time,
             const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (date_time);
  text = epsimo_json_format_date_time (date_time);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_json_equal (JsonNode   *node,
                   const char *expected)
{
  g_autoptr(JsonNode) expected_node = parse (expected);

  if (!epsimo_json_node_equal (node, expected_node))
    {
      g_autofree char *got = epsimo_json_to_string (node, TRUE);

      g_test_message ("got: %s", got);
      g_test_message ("expected: %s", expected);
      g_assert_not_reached ();
    }
}

/* Counts notify emissions per property. */
typedef struct
{
  GHashTable *counts;
} NotifyCounter;

static void
on_notify (GObject       *object,
           GParamSpec    *pspec,
           NotifyCounter *counter)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, pspec->name));

  g_hash_table_insert (counter->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
notify_counter_init (NotifyCounter *counter,
                     gpointer       object)
{
  counter->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), counter);
}

static guint
notify_count (NotifyCounter *counter,
              const char    *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, name));
}

static void
notify_counter_clear (NotifyCounter *counter,
                      gpointer       object)
{
  g_signal_handlers_disconnect_by_func (object, on_notify, counter);
  g_clear_pointer (&counter->counts, g_hash_table_unref);
}

/* epsimo-json */

static void
test_json_getters (void)
{
  g_autoptr(JsonNode) node = parse ("{\"s\": \"text\", \"i\": 42, \"f\": 45.0, \"d\": 0.5,"
                                    " \"b\": true, \"o\": {}, \"a\": [], \"n\": null}");
  JsonObject *object = OBJ (node);
  g_autoptr(GError) error = NULL;
  gint64 i = 0;
  double d = 0;
  gboolean b = FALSE;

  g_assert_cmpstr (epsimo_json_get_string (object, "s"), ==, "text");
  g_assert_null (epsimo_json_get_string (object, "i"));
  g_assert_null (epsimo_json_get_string (object, "n"));
  g_assert_null (epsimo_json_get_string (object, "missing"));
  g_assert_null (epsimo_json_get_string (object, "o"));

  g_assert_true (epsimo_json_get_int (object, "i", &i));
  g_assert_cmpint (i, ==, 42);
  g_assert_true (epsimo_json_get_int (object, "f", &i));
  g_assert_cmpint (i, ==, 45);
  g_assert_false (epsimo_json_get_int (object, "d", &i));
  g_assert_false (epsimo_json_get_int (object, "s", &i));
  g_assert_false (epsimo_json_get_int (object, "a", &i));

  g_assert_true (epsimo_json_get_double (object, "d", &d));
  g_assert_cmpfloat (d, ==, 0.5);
  g_assert_true (epsimo_json_get_double (object, "i", &d));
  g_assert_cmpfloat (d, ==, 42.0);
  g_assert_false (epsimo_json_get_double (object, "b", &d));

  g_assert_true (epsimo_json_get_bool (object, "b", &b));
  g_assert_true (b);
  g_assert_false (epsimo_json_get_bool (object, "i", &b));

  g_assert_nonnull (epsimo_json_get_object (object, "o"));
  g_assert_null (epsimo_json_get_object (object, "a"));
  g_assert_nonnull (epsimo_json_get_array (object, "a"));
  g_assert_null (epsimo_json_get_array (object, "o"));

  g_assert_null (epsimo_json_require_string (object, "missing", "thing", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);
  g_assert_null (epsimo_json_require_string (object, "i", "thing", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (epsimo_json_require_int (object, "s", "thing", &i, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_require_object (object, "a", "thing", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_require_array (object, "o", "thing", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
}

static void
test_json_token (void)
{
  g_autoptr(JsonNode) all = parse ("{\"access_token\": \"a\", \"token\": \"b\","
                                   " \"jwt_token\": \"c\"}");
  g_autoptr(JsonNode) two = parse ("{\"token\": \"b\", \"jwt_token\": \"c\"}");
  g_autoptr(JsonNode) jwt = parse ("{\"access_token\": 5, \"jwt_token\": \"c\"}");
  g_autoptr(JsonNode) none = parse ("{\"access_token\": null, \"token\": {}}");

  g_assert_cmpstr (epsimo_json_get_token (OBJ (all)), ==, "a");
  g_assert_cmpstr (epsimo_json_get_token (OBJ (two)), ==, "b");
  g_assert_cmpstr (epsimo_json_get_token (OBJ (jwt)), ==, "c");
  g_assert_null (epsimo_json_get_token (OBJ (none)));
}

static void
test_json_date_time (void)
{
  static const struct {
    const char *text;
    const char *utc;
  } cases[] = {
    { "2024-01-15T10:30:00Z", "2024-01-15T10:30:00Z" },
    { "2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00Z" },
    { "2024-01-15T05:30:00-05:00", "2024-01-15T10:30:00Z" },
    { "2024-01-15T10:30:00.250Z", "2024-01-15T10:30:00.250000Z" },
    { "2024-01-15T10:30:00.123456+00:00", "2024-01-15T10:30:00.123456Z" },
    { "2024-01-15T10:30:00", "2024-01-15T10:30:00Z" },
    { "2024-01-15T10:30:00.5", "2024-01-15T10:30:00.500000Z" },
    { "2024-01-15", "2024-01-15T00:00:00Z" },
  };
  static const char * const bad[] = { "", "yesterday", "2024-13-45T99:00:00Z", "12" };
  g_autoptr(JsonNode) node = parse ("{\"t\": \"2024-01-15T10:30:00Z\", \"n\": 1705314600,"
                                    " \"ms\": 1705314600000, \"b\": true}");
  g_autoptr(GDateTime) from_seconds = NULL;
  g_autoptr(GDateTime) from_ms = NULL;
  g_autoptr(GDateTime) from_text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date_time = epsimo_json_parse_date_time (cases[i].text);

      assert_date (date_time, cases[i].utc);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (epsimo_json_parse_date_time (bad[i]));
  g_assert_null (epsimo_json_parse_date_time (NULL));

  from_text = epsimo_json_get_date_time (OBJ (node), "t");
  from_seconds = epsimo_json_get_date_time (OBJ (node), "n");
  from_ms = epsimo_json_get_date_time (OBJ (node), "ms");
  g_assert_true (g_date_time_equal (from_text, from_seconds));
  g_assert_true (g_date_time_equal (from_text, from_ms));
  g_assert_null (epsimo_json_get_date_time (OBJ (node), "b"));
  g_assert_null (epsimo_json_get_date_time (OBJ (node), "missing"));
}

static void
test_json_list (void)
{
  g_autoptr(JsonNode) bare = parse ("[{\"thread_id\": \"a\"}, {\"thread_id\": \"b\"}]");
  g_autoptr(JsonNode) wrapped = parse ("{\"threads\": [{\"thread_id\": \"a\"}], \"total\": 1}");
  g_autoptr(JsonNode) wrong = parse ("{\"threads\": {}, \"total\": 1}");
  g_autoptr(JsonNode) scalar = parse ("\"threads\"");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = epsimo_json_get_list (bare, "threads", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (epsimo_json_get_string (json_node_get_object (g_ptr_array_index (items, 1)),
                                           "thread_id"), ==, "b");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = epsimo_json_get_list (wrapped, "threads", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  items = epsimo_json_get_list (bare, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_null (epsimo_json_get_list (wrapped, "tools", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_get_list (wrong, "threads", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_get_list (scalar, "threads", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_get_list (NULL, "threads", &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
}

static void
test_json_parse_and_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("[1, 2]", 6);
  g_autofree char *compact = NULL;

  g_assert_null (epsimo_json_parse ("{\"a\": ", -1, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_parse ("", 0, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (epsimo_json_parse ("<html>Bad gateway</html>", -1, &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_clear_error (&error);

  node = epsimo_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  node = parse ("{\"a\": {\"b\": [1, {\"c\": null}]}}");
  compact = epsimo_json_to_string (node, FALSE);
  g_assert_cmpstr (compact, ==, "{\"a\":{\"b\":[1,{\"c\":null}]}}");

  /* A deep copy shares nothing: changing it leaves the original alone. */
  copy = epsimo_json_object_copy (OBJ (node));
  json_object_set_int_member (json_object_get_object_member (copy, "a"), "d", 1);
  g_assert_false (json_object_has_member (json_object_get_object_member (OBJ (node), "a"), "d"));

  g_clear_pointer (&compact, g_free);
  compact = epsimo_json_to_string (NULL, FALSE);
  g_assert_cmpstr (compact, ==, "null");
}

/* Projects */

static void
test_project_reference (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"project_id\": \"proj_abc123\", \"name\": \"My AI Project\","
    " \"description\": \"Customer support automation\", \"access_token\": \"proj_token_...\","
    " \"token\": \"proj_token_...\", \"jwt_token\": \"proj_token_...\","
    " \"created_at\": \"2024-01-15T10:30:00Z\"}");
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = epsimo_project_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_id (project), ==, "proj_abc123");
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "My AI Project");
  g_assert_cmpstr (epsimo_project_get_description (project), ==, "Customer support automation");
  assert_date (epsimo_project_get_created_at (project), "2024-01-15T10:30:00Z");
  g_assert_null (epsimo_project_get_metadata (project));
  g_assert_cmpstr (epsimo_json_get_token (OBJ (node)), ==, "proj_token_...");
}

static void
test_project_live (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"id\": \"5f0c\", \"name\": \"Live\", \"metadata\": {\"custom_field\": \"value\"},"
    " \"jwt_token\": \"t\"}");
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = epsimo_project_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_id (project), ==, "5f0c");
  g_assert_null (epsimo_project_get_description (project));
  g_assert_null (epsimo_project_get_created_at (project));
  g_assert_cmpstr (json_object_get_string_member (epsimo_project_get_metadata (project),
                                                  "custom_field"), ==, "value");
  g_assert_cmpstr (epsimo_json_get_token (OBJ (node)), ==, "t");
}

static void
test_project_errors (void)
{
  static const char * const bad[] = {
    "{\"name\": \"No id\"}",
    "{\"project_id\": {}, \"name\": \"Id is an object\"}",
    "{\"project_id\": \"p\"}",
    "{\"project_id\": \"p\", \"name\": 12}",
    "{\"project_id\": \"p\", \"name\": null}",
  };
  g_autoptr(JsonNode) lenient = parse (
    "{\"project_id\": 7, \"name\": \"n\", \"description\": 5, \"created_at\": true,"
    " \"metadata\": \"x\"}");
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_project_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_assert_nonnull (error->message);
      g_clear_error (&error);
    }

  /* Optional members of the wrong type are ignored; a numeric id is kept. */
  project = epsimo_project_new_from_json (OBJ (lenient), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_id (project), ==, "7");
  g_assert_null (epsimo_project_get_description (project));
  g_assert_null (epsimo_project_get_created_at (project));
  g_assert_null (epsimo_project_get_metadata (project));
}

static void
test_project_round_trip (void)
{
  static const EpsimoDialect dialects[] = { EPSIMO_DIALECT_REFERENCE, EPSIMO_DIALECT_LIVE };

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autoptr(EpsimoProject) project = epsimo_project_new ("My New Project",
                                                             "Optional description");
      g_autoptr(JsonObject) metadata = json_object_new ();
      g_autoptr(EpsimoProject) again = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      json_object_set_string_member (metadata, "custom_field", "value");
      epsimo_project_set_metadata (project, metadata);
      /* A copy was taken. */
      json_object_set_string_member (metadata, "later", "ignored");

      node = epsimo_project_to_json (project, dialects[i]);
      assert_json_equal (node, "{\"name\": \"My New Project\", \"description\": "
                               "\"Optional description\", \"metadata\": "
                               "{\"custom_field\": \"value\"}}");

      json_object_set_string_member (OBJ (node), "project_id", "proj_xyz789");
      again = epsimo_project_new_from_json (OBJ (node), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (epsimo_project_get_name (again), ==, "My New Project");
      g_assert_cmpstr (epsimo_project_get_description (again), ==, "Optional description");
      g_assert_cmpstr (json_object_get_string_member (epsimo_project_get_metadata (again),
                                                      "custom_field"), ==, "value");
      g_assert_false (json_object_has_member (epsimo_project_get_metadata (again), "later"));
    }
}

static void
test_project_notify (void)
{
  g_autoptr(EpsimoProject) project = epsimo_project_new ("A", NULL);
  g_autoptr(JsonNode) node = parse ("{\"project_id\": \"p\", \"name\": \"B\","
                                    " \"created_at\": \"2024-01-15T10:30:00Z\"}");
  g_autoptr(JsonNode) bad = parse ("{\"project_id\": \"p\"}");
  g_autoptr(GError) error = NULL;
  NotifyCounter counter;

  notify_counter_init (&counter, project);

  epsimo_project_set_name (project, "A");
  g_assert_cmpuint (notify_count (&counter, "name"), ==, 0);
  epsimo_project_set_name (project, "C");
  g_assert_cmpuint (notify_count (&counter, "name"), ==, 1);
  g_object_set (project, "description", "d", NULL);
  g_object_set (project, "description", "d", NULL);
  g_assert_cmpuint (notify_count (&counter, "description"), ==, 1);

  g_assert_true (epsimo_project_update_from_json (project, OBJ (node), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_id (project), ==, "p");
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "B");
  g_assert_cmpuint (notify_count (&counter, "id"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "name"), ==, 2);
  g_assert_cmpuint (notify_count (&counter, "created-at"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "description"), ==, 2);
  g_assert_cmpuint (notify_count (&counter, "metadata"), ==, 0);

  /* Same values again: nothing to notify. */
  g_assert_true (epsimo_project_update_from_json (project, OBJ (node), &error));
  g_assert_cmpuint (notify_count (&counter, "id"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "name"), ==, 2);
  g_assert_cmpuint (notify_count (&counter, "created-at"), ==, 1);

  /* A bad reply changes nothing. */
  g_assert_false (epsimo_project_update_from_json (project, OBJ (bad), &error));
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "B");

  notify_counter_clear (&counter, project);
}

/* Tools */

static void
test_tool_reference (void)
{
  g_autoptr(JsonNode) search = parse ("{\"type\": \"search_tavily\", \"max_results\": 5}");
  g_autoptr(JsonNode) function = parse (
    "{\"type\": \"function\", \"name\": \"update_database\", \"description\": "
    "\"Save structured data\", \"parameters\": {\"type\": \"object\", \"properties\": "
    "{\"key\": {\"type\": \"string\"}, \"value\": {\"type\": \"object\"}}, "
    "\"required\": [\"key\", \"value\"]}}");
  g_autoptr(JsonNode) retrieval = parse ("{\"type\": \"retrieval\", \"top_k\": 5,"
                                         " \"score_threshold\": 0.7}");
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *parameters;

  tool = epsimo_tool_new_from_json (OBJ (search), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_tool_get_tool_type (tool), ==, "search_tavily");
  g_assert_cmpint (epsimo_tool_get_max_results (tool), ==, 5);
  g_assert_null (epsimo_tool_get_id (tool));
  g_clear_object (&tool);

  tool = epsimo_tool_new_from_json (OBJ (function), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_tool_get_name (tool), ==, "update_database");
  g_assert_cmpstr (epsimo_tool_get_description (tool), ==, "Save structured data");
  parameters = epsimo_tool_get_parameters (tool);
  g_assert_nonnull (parameters);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (parameters,
                                                                         "required")), ==, 2);
  g_clear_object (&tool);

  tool = epsimo_tool_new_from_json (OBJ (retrieval), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_tool_get_top_k (tool), ==, 5);
  g_assert_cmpfloat (epsimo_tool_get_score_threshold (tool), ==, 0.7);
}

static void
test_tool_live (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"id\": \"retrieval-1a2b3c4d\", \"name\": \"Retrieval\", \"type\": \"retrieval\","
    " \"description\": \"Look up information in uploaded files.\","
    " \"config\": {\"top_k\": 3, \"score_threshold\": 0.25, \"rerank\": true}}");
  g_autoptr(JsonNode) function = parse (
    "{\"id\": \"function-00ff00ff\", \"name\": \"manage_task\", \"type\": \"function\","
    " \"description\": \"Track\", \"config\": {\"parameters\": {\"type\": \"object\"}}}");
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = epsimo_json_to_string (node, FALSE);

  tool = epsimo_tool_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_tool_get_id (tool), ==, "retrieval-1a2b3c4d");
  g_assert_cmpstr (epsimo_tool_get_name (tool), ==, "Retrieval");
  g_assert_cmpint (epsimo_tool_get_top_k (tool), ==, 3);
  g_assert_cmpfloat (epsimo_tool_get_score_threshold (tool), ==, 0.25);

  /* Unknown settings survive a save. */
  written = epsimo_tool_to_json (tool, EPSIMO_DIALECT_LIVE);
  assert_json_equal (written, original);
  g_clear_pointer (&written, json_node_unref);
  g_clear_object (&tool);

  tool = epsimo_tool_new_from_json (OBJ (function), &error);
  g_assert_no_error (error);
  g_assert_nonnull (epsimo_tool_get_parameters (tool));
  written = epsimo_tool_to_json (tool, EPSIMO_DIALECT_REFERENCE);
  assert_json_equal (written, "{\"id\": \"function-00ff00ff\", \"name\": \"manage_task\","
                              " \"type\": \"function\", \"description\": \"Track\","
                              " \"parameters\": {\"type\": \"object\"}}");
}

static void
test_tool_errors (void)
{
  static const char * const bad[] = {
    "{\"max_results\": 5}",
    "{\"type\": 5}",
    "{\"type\": \"\"}",
    "{\"type\": [\"search_tavily\"]}",
  };
  g_autoptr(JsonNode) lenient = parse (
    "{\"type\": \"search_tavily\", \"max_results\": \"five\", \"top_k\": -3,"
    " \"score_threshold\": \"high\", \"parameters\": [], \"name\": 3, \"config\": 7}");
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_tool_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  tool = epsimo_tool_new_from_json (OBJ (lenient), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_tool_get_max_results (tool), ==, EPSIMO_TOOL_DEFAULT_MAX_RESULTS);
  g_assert_cmpint (epsimo_tool_get_top_k (tool), ==, EPSIMO_TOOL_DEFAULT_TOP_K);
  g_assert_cmpfloat (epsimo_tool_get_score_threshold (tool), ==,
                     EPSIMO_TOOL_DEFAULT_SCORE_THRESHOLD);
  g_assert_null (epsimo_tool_get_parameters (tool));
  g_assert_null (epsimo_tool_get_name (tool));
}

static gboolean
is_live_tool_id (const char *id,
                 const char *type)
{
  g_autofree char *pattern = g_strdup_printf ("^%s-[0-9a-f]{8}$", type);

  return id != NULL && g_regex_match_simple (pattern, id, 0, 0);
}

static void
test_tool_new_and_ids (void)
{
  g_autoptr(EpsimoTool) search = epsimo_tool_new ("search_tavily");
  g_autoptr(EpsimoTool) retrieval = epsimo_tool_new ("retrieval");
  g_autoptr(EpsimoTool) ddg = epsimo_tool_new ("ddg_search");
  g_autoptr(EpsimoTool) dalle = epsimo_tool_new ("dall_e");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *config;
  const char *id;

  g_assert_cmpint (epsimo_tool_get_max_results (search), ==, 5);
  g_assert_cmpint (epsimo_tool_get_top_k (retrieval), ==, 4);
  g_assert_cmpfloat (epsimo_tool_get_score_threshold (retrieval), ==, 0.5);
  g_assert_null (epsimo_tool_get_id (search));

  node = epsimo_tool_to_json (search, EPSIMO_DIALECT_REFERENCE);
  assert_json_equal (node, "{\"type\": \"search_tavily\", \"name\": \"Search (Tavily)\","
                           " \"description\": \"Uses the Tavily search engine. Includes "
                           "sources in the response.\", \"max_results\": 5}");
  g_assert_null (epsimo_tool_get_id (search));
  g_clear_pointer (&node, json_node_unref);

  /* Live: an id is made once and kept. */
  node = epsimo_tool_to_json (search, EPSIMO_DIALECT_LIVE);
  id = json_object_get_string_member (OBJ (node), "id");
  g_assert_true (is_live_tool_id (id, "search_tavily"));
  g_assert_cmpstr (epsimo_tool_get_id (search), ==, id);
  config = json_object_get_object_member (OBJ (node), "config");
  g_assert_cmpint (json_object_get_int_member (config, "max_results"), ==, 5);
  g_assert_false (json_object_has_member (OBJ (node), "max_results"));
  again = epsimo_tool_to_json (search, EPSIMO_DIALECT_LIVE);
  g_assert_cmpstr (json_object_get_string_member (OBJ (again), "id"), ==, id);
  g_clear_pointer (&node, json_node_unref);

  node = epsimo_tool_to_json (retrieval, EPSIMO_DIALECT_LIVE);
  g_assert_true (is_live_tool_id (json_object_get_string_member (OBJ (node), "id"), "retrieval"));
  config = json_object_get_object_member (OBJ (node), "config");
  g_assert_cmpint (json_object_get_int_member (config, "top_k"), ==, 4);
  g_assert_cmpfloat (json_object_get_double_member (config, "score_threshold"), ==, 0.5);
  g_clear_pointer (&node, json_node_unref);

  /* A tool without a name gets its type as the live name; no settings. */
  node = epsimo_tool_to_json (dalle, EPSIMO_DIALECT_LIVE);
  g_assert_cmpstr (json_object_get_string_member (OBJ (node), "name"), ==, "dall_e");
  g_assert_cmpstr (json_object_get_string_member (OBJ (node), "description"), ==, "");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (OBJ (node), "config")),
                    ==, 0);
  g_clear_pointer (&node, json_node_unref);

  node = epsimo_tool_to_json (ddg, EPSIMO_DIALECT_REFERENCE);
  assert_json_equal (node, "{\"type\": \"ddg_search\", \"max_results\": 5}");

  g_assert_cmpint (epsimo_tool_type_get_settings ("retrieval"), ==,
                   EPSIMO_TOOL_SETTING_TOP_K | EPSIMO_TOOL_SETTING_SCORE_THRESHOLD);
  g_assert_cmpint (epsimo_tool_type_get_settings ("function"), ==, EPSIMO_TOOL_SETTING_PARAMETERS);
  g_assert_cmpint (epsimo_tool_type_get_settings ("wikipedia"), ==, EPSIMO_TOOL_SETTING_NONE);
}

static void
test_tool_presets (void)
{
  g_autoptr(EpsimoTool) update = epsimo_tool_new_update_database ();
  g_autoptr(EpsimoTool) task = epsimo_tool_new_manage_task ();
  JsonObject *schema;
  JsonObject *props;
  JsonArray *required;
  JsonArray *actions;

  g_assert_cmpstr (epsimo_tool_get_tool_type (update), ==, "function");
  g_assert_cmpstr (epsimo_tool_get_name (update), ==, "update_database");
  schema = epsimo_tool_get_parameters (update);
  g_assert_cmpstr (json_object_get_string_member (schema, "type"), ==, "object");
  props = json_object_get_object_member (schema, "properties");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (props, "key"),
                                                  "type"), ==, "string");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (props, "value"),
                                                  "type"), ==, "object");
  required = json_object_get_array_member (schema, "required");
  g_assert_cmpuint (json_array_get_length (required), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (required, 0), ==, "key");
  g_assert_cmpstr (json_array_get_string_element (required, 1), ==, "value");

  g_assert_cmpstr (epsimo_tool_get_name (task), ==, "manage_task");
  schema = epsimo_tool_get_parameters (task);
  props = json_object_get_object_member (schema, "properties");
  actions = json_object_get_array_member (json_object_get_object_member (props, "action"), "enum");
  g_assert_cmpuint (json_array_get_length (actions), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (actions, 0), ==, "create");
  g_assert_cmpstr (json_array_get_string_element (actions, 3), ==, "list");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (props, "details"),
                                                  "type"), ==, "object");
}

/* @b was read back from @a written in @dialect. A live tool always has a
 * name (its type when it had none) and a description. */
static void
assert_tools_equal (EpsimoTool    *a,
                    EpsimoTool    *b,
                    EpsimoDialect  dialect)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;
  const char *name = epsimo_tool_get_name (a);
  const char *description = epsimo_tool_get_description (a);

  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      name = name ? name : epsimo_tool_get_tool_type (a);
      description = description ? description : "";
      g_assert_cmpstr (epsimo_tool_get_id (a), ==, epsimo_tool_get_id (b));
    }

  g_assert_cmpstr (epsimo_tool_get_tool_type (a), ==, epsimo_tool_get_tool_type (b));
  g_assert_cmpstr (name, ==, epsimo_tool_get_name (b));
  g_assert_cmpstr (description, ==, epsimo_tool_get_description (b));
  g_assert_cmpint (epsimo_tool_get_max_results (a), ==, epsimo_tool_get_max_results (b));
  g_assert_cmpint (epsimo_tool_get_top_k (a), ==, epsimo_tool_get_top_k (b));
  g_assert_cmpfloat (epsimo_tool_get_score_threshold (a), ==, epsimo_tool_get_score_threshold (b));
  node_a = epsimo_tool_get_parameters (a)
           ? json_node_init_object (json_node_alloc (), epsimo_tool_get_parameters (a)) : NULL;
  node_b = epsimo_tool_get_parameters (b)
           ? json_node_init_object (json_node_alloc (), epsimo_tool_get_parameters (b)) : NULL;
  g_assert_true (epsimo_json_node_equal (node_a, node_b));
}

static void
test_tool_round_trip (void)
{
  static const EpsimoDialect dialects[] = { EPSIMO_DIALECT_REFERENCE, EPSIMO_DIALECT_LIVE };
  EpsimoTool *tools[] = {
    epsimo_tool_new ("search_tavily"),
    epsimo_tool_new ("retrieval"),
    epsimo_tool_new_update_database (),
    epsimo_tool_new_manage_task (),
    epsimo_tool_new ("arxiv"),
  };

  epsimo_tool_set_max_results (tools[0], 9);
  epsimo_tool_set_top_k (tools[1], 7);
  epsimo_tool_set_score_threshold (tools[1], 0.75);

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
      {
        g_autoptr(JsonNode) node = epsimo_tool_to_json (tools[i], dialects[d]);
        g_autoptr(EpsimoTool) again = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(EpsimoTool) copy = epsimo_tool_copy (tools[i]);

        again = epsimo_tool_new_from_json (OBJ (node), &error);
        g_assert_no_error (error);
        assert_tools_equal (tools[i], again, dialects[d]);

        assert_tools_equal (tools[i], copy, EPSIMO_DIALECT_REFERENCE);
        g_assert_cmpstr (epsimo_tool_get_id (copy), ==, epsimo_tool_get_id (tools[i]));
      }

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    g_object_unref (tools[i]);
}

/* Assistants */

static const char reference_assistant[] =
  "{\"assistant_id\": \"asst_xyz789\", \"name\": \"Research Assistant\","
  " \"config\": {\"instructions\": \"You help with research tasks\", \"model\": \"gpt-4o\","
  "  \"configurable\": {\"type\": \"agent\", \"agent_type\": \"agent\"},"
  "  \"tools\": [{\"type\": \"search_tavily\", \"max_results\": 5},"
  "   {\"type\": \"function\", \"name\": \"update_database\","
  "    \"description\": \"Save structured data\","
  "    \"parameters\": {\"type\": \"object\", \"properties\": {\"key\": {\"type\": \"string\"},"
  "     \"value\": {\"type\": \"object\"}}, \"required\": [\"key\", \"value\"]}}]},"
  " \"public\": false, \"created_at\": \"2024-01-15T11:15:00Z\"}";

static const char live_assistant[] =
  "{\"assistant_id\": \"a1b2c3\", \"name\": \"Support\", \"public\": true,"
  " \"config\": {\"configurable\": {\"type\": \"agent\","
  "  \"type==agent/agent_type\": \"GPT-4O\", \"type==agent/model\": \"gpt-4o-mini\","
  "  \"type==agent/system_message\": \"Be kind\","
  "  \"type==agent/retrieval_description\": \"Docs\","
  "  \"type==agent/tools\": [{\"id\": \"retrieval-0a0b0c0d\", \"name\": \"Retrieval\","
  "   \"type\": \"retrieval\", \"description\": \"Look up\", \"config\": {}}]}},"
  " \"metadata\": {\"team\": \"support\"}, \"tags\": [\"prod\", 3, \"eu\"],"
  " \"created_at\": \"2024-02-01T08:00:00.000000+00:00\"}";

static void
test_assistant_reference (void)
{
  g_autoptr(JsonNode) node = parse (reference_assistant);
  g_autoptr(JsonNode) list_item = parse (
    "{\"assistant_id\": \"asst_abc123\", \"name\": \"Support Agent\", \"config\": {"
    "\"instructions\": \"You are a helpful support agent\", \"model\": \"gpt-4o\","
    "\"configurable\": {\"type\": \"agent\", \"agent_type\": \"agent\"}},"
    "\"public\": false, \"created_at\": \"2024-01-15T10:45:00Z\"}");
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *tools;

  assistant = epsimo_assistant_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_assistant_get_id (assistant), ==, "asst_xyz789");
  g_assert_cmpstr (epsimo_assistant_get_name (assistant), ==, "Research Assistant");
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==,
                   "You help with research tasks");
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o");
  g_assert_false (epsimo_assistant_get_public (assistant));
  assert_date (epsimo_assistant_get_created_at (assistant), "2024-01-15T11:15:00Z");
  g_assert_cmpstrv (epsimo_assistant_get_tags (assistant), ((const char *[]) { NULL }));

  tools = epsimo_assistant_get_tools (assistant);
  g_assert_cmpuint (g_list_model_get_n_items (tools), ==, 2);
  g_assert_true (g_list_model_get_item_type (tools) == EPSIMO_TYPE_TOOL);
  tool = g_list_model_get_item (tools, 1);
  g_assert_cmpstr (epsimo_tool_get_name (tool), ==, "update_database");
  g_clear_object (&assistant);

  assistant = epsimo_assistant_new_from_json (OBJ (list_item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_assistant_get_tools (assistant)), ==, 0);
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==,
                   "You are a helpful support agent");
}

static void
test_assistant_live (void)
{
  g_autoptr(JsonNode) node = parse (live_assistant);
  g_autoptr(JsonNode) mixed = parse (
    "{\"id\": \"m\", \"name\": \"Mixed\", \"config\": {\"instructions\": \"flat\","
    " \"configurable\": {\"type\": \"agent\", \"type==agent/agent_type\": \"GPT-4O\","
    " \"model\": \"gpt-4o-mini\", \"tools\": [{\"type\": \"ddg_search\"}]}}}");
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(GError) error = NULL;

  assistant = epsimo_assistant_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_assistant_get_id (assistant), ==, "a1b2c3");
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o-mini");
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==, "Be kind");
  g_assert_true (epsimo_assistant_get_public (assistant));
  assert_date (epsimo_assistant_get_created_at (assistant), "2024-02-01T08:00:00Z");
  g_assert_cmpstrv (epsimo_assistant_get_tags (assistant),
                    ((const char *[]) { "prod", "eu", NULL }));
  g_assert_cmpstr (json_object_get_string_member (epsimo_assistant_get_metadata (assistant),
                                                  "team"), ==, "support");
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_assistant_get_tools (assistant)), ==, 1);
  tool = g_list_model_get_item (epsimo_assistant_get_tools (assistant), 0);
  g_assert_cmpstr (epsimo_tool_get_id (tool), ==, "retrieval-0a0b0c0d");
  g_clear_object (&assistant);

  /* Instructions and model in the other place are tolerated. */
  assistant = epsimo_assistant_new_from_json (OBJ (mixed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==, "flat");
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o-mini");
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_assistant_get_tools (assistant)), ==, 1);
}

static void
test_assistant_errors (void)
{
  static const char * const bad[] = {
    "{\"name\": \"no id\"}",
    "{\"assistant_id\": \"a\"}",
    "{\"assistant_id\": \"a\", \"name\": false}",
    "{\"assistant_id\": \"a\", \"name\": \"n\", \"config\": {\"tools\": [5]}}",
    "{\"assistant_id\": \"a\", \"name\": \"n\", \"config\": {\"tools\": [{\"max_results\": 5}]}}",
    ("{\"assistant_id\": \"a\", \"name\": \"n\", \"config\": {\"configurable\": "
     "{\"type==agent/tools\": [{\"type\": 1}]}}}"),
  };
  g_autoptr(JsonNode) lenient = parse (
    "{\"assistant_id\": \"a\", \"name\": \"n\", \"public\": \"yes\", \"config\": \"x\","
    " \"tags\": \"t\", \"metadata\": [], \"created_at\": 5.5}");
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_assistant_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  assistant = epsimo_assistant_new_from_json (OBJ (lenient), &error);
  g_assert_no_error (error);
  g_assert_false (epsimo_assistant_get_public (assistant));
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o");
  g_assert_null (epsimo_assistant_get_instructions (assistant));
  g_assert_null (epsimo_assistant_get_metadata (assistant));
  g_assert_null (epsimo_assistant_get_created_at (assistant));
}

static void
test_assistant_to_json (void)
{
  g_autoptr(EpsimoAssistant) assistant = epsimo_assistant_new ("Research Assistant");
  g_autoptr(EpsimoTool) search = epsimo_tool_new ("search_tavily");
  g_autoptr(EpsimoTool) update = epsimo_tool_new_update_database ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *configurable;
  JsonObject *config;
  JsonArray *tools;

  epsimo_assistant_set_instructions (assistant, "You help with research tasks");
  epsimo_assistant_add_tool (assistant, search);
  epsimo_assistant_add_tool (assistant, update);
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o");

  node = epsimo_assistant_to_json (assistant, EPSIMO_DIALECT_REFERENCE);
  config = json_object_get_object_member (OBJ (node), "config");
  g_assert_cmpstr (json_object_get_string_member (OBJ (node), "name"), ==, "Research Assistant");
  g_assert_false (json_object_get_boolean_member (OBJ (node), "public"));
  g_assert_cmpstr (json_object_get_string_member (config, "instructions"), ==,
                   "You help with research tasks");
  g_assert_cmpstr (json_object_get_string_member (config, "model"), ==, "gpt-4o");
  assert_json_equal (json_object_get_member (config, "configurable"),
                     "{\"type\": \"agent\", \"agent_type\": \"agent\"}");
  tools = json_object_get_array_member (config, "tools");
  g_assert_cmpuint (json_array_get_length (tools), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tools, 0),
                                               "max_results"), ==, 5);
  g_assert_false (json_object_has_member (OBJ (node), "tags"));
  g_clear_pointer (&node, json_node_unref);

  node = epsimo_assistant_to_json (assistant, EPSIMO_DIALECT_LIVE);
  config = json_object_get_object_member (OBJ (node), "config");
  g_assert_false (json_object_has_member (config, "instructions"));
  g_assert_false (json_object_has_member (config, "tools"));
  configurable = json_object_get_object_member (config, "configurable");
  g_assert_cmpstr (json_object_get_string_member (configurable, "type"), ==, "agent");
  g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/agent_type"), ==,
                   "GPT-4O");
  g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/model"), ==,
                   "gpt-4o");
  g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/system_message"), ==,
                   "You help with research tasks");
  tools = json_object_get_array_member (configurable, "type==agent/tools");
  g_assert_cmpuint (json_array_get_length (tools), ==, 2);
  g_assert_true (is_live_tool_id (json_object_get_string_member (
                   json_array_get_object_element (tools, 1), "id"), "function"));
  g_assert_true (json_object_has_member (OBJ (node), "metadata"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (OBJ (node), "tags")),
                    ==, 0);
}

static void
assert_assistants_equal (EpsimoAssistant *a,
                         EpsimoAssistant *b,
                         EpsimoDialect    dialect)
{
  GListModel *tools_a = epsimo_assistant_get_tools (a);
  GListModel *tools_b = epsimo_assistant_get_tools (b);

  g_assert_cmpstr (epsimo_assistant_get_name (a), ==, epsimo_assistant_get_name (b));
  g_assert_cmpstr (epsimo_assistant_get_model (a), ==, epsimo_assistant_get_model (b));
  g_assert_cmpstr (epsimo_assistant_get_instructions (a), ==,
                   epsimo_assistant_get_instructions (b));
  g_assert_cmpint (epsimo_assistant_get_public (a), ==, epsimo_assistant_get_public (b));
  g_assert_cmpuint (g_list_model_get_n_items (tools_a), ==, g_list_model_get_n_items (tools_b));
  for (guint i = 0; i < g_list_model_get_n_items (tools_a); i++)
    {
      g_autoptr(EpsimoTool) tool_a = g_list_model_get_item (tools_a, i);
      g_autoptr(EpsimoTool) tool_b = g_list_model_get_item (tools_b, i);

      assert_tools_equal (tool_a, tool_b, dialect);
    }
}

static void
test_assistant_round_trip (void)
{
  static const EpsimoDialect dialects[] = { EPSIMO_DIALECT_REFERENCE, EPSIMO_DIALECT_LIVE };
  const char *fixtures[] = { reference_assistant, live_assistant };

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
      {
        g_autoptr(JsonNode) node = parse (fixtures[f]);
        g_autoptr(EpsimoAssistant) assistant = NULL;
        g_autoptr(EpsimoAssistant) again = NULL;
        g_autoptr(JsonNode) written = NULL;
        g_autoptr(GError) error = NULL;

        assistant = epsimo_assistant_new_from_json (OBJ (node), &error);
        g_assert_no_error (error);
        epsimo_assistant_set_model (assistant, "my-own-model");

        written = epsimo_assistant_to_json (assistant, dialects[d]);
        json_object_set_string_member (OBJ (written), "assistant_id", "new");
        again = epsimo_assistant_new_from_json (OBJ (written), &error);
        g_assert_no_error (error);
        assert_assistants_equal (assistant, again, dialects[d]);

        if (dialects[d] == EPSIMO_DIALECT_LIVE)
          {
            g_assert_cmpstrv (epsimo_assistant_get_tags (again),
                              epsimo_assistant_get_tags (assistant));
            /* Unknown configurable keys are written back. */
            if (f == 1)
              g_assert_cmpstr (json_object_get_string_member (
                                 json_object_get_object_member (
                                   json_object_get_object_member (OBJ (written), "config"),
                                   "configurable"),
                                 "type==agent/retrieval_description"), ==, "Docs");
          }
      }
}

static void
test_assistant_copy (void)
{
  g_autoptr(JsonNode) node = parse (live_assistant);
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoAssistant) copy = NULL;
  g_autoptr(EpsimoTool) original_tool = NULL;
  g_autoptr(EpsimoTool) copied_tool = NULL;
  g_autoptr(GError) error = NULL;

  assistant = epsimo_assistant_new_from_json (OBJ (node), &error);
  g_assert_no_error (error);
  copy = epsimo_assistant_copy (assistant);

  assert_assistants_equal (assistant, copy, EPSIMO_DIALECT_REFERENCE);
  g_assert_cmpstr (epsimo_assistant_get_id (copy), ==, "a1b2c3");
  g_assert_cmpstrv (epsimo_assistant_get_tags (copy), epsimo_assistant_get_tags (assistant));
  g_assert_true (epsimo_assistant_get_metadata (copy)
                 != epsimo_assistant_get_metadata (assistant));

  /* Deep: editing the copy's tools leaves the original alone. */
  original_tool = g_list_model_get_item (epsimo_assistant_get_tools (assistant), 0);
  copied_tool = g_list_model_get_item (epsimo_assistant_get_tools (copy), 0);
  g_assert_true (original_tool != copied_tool);
  epsimo_tool_set_top_k (copied_tool, 42);
  g_assert_cmpint (epsimo_tool_get_top_k (original_tool), ==, EPSIMO_TOOL_DEFAULT_TOP_K);
  epsimo_assistant_remove_tool (copy, 0);
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_assistant_get_tools (assistant)), ==, 1);
  epsimo_assistant_set_name (copy, "Copy of Support");
  g_assert_cmpstr (epsimo_assistant_get_name (assistant), ==, "Support");
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static void
test_assistant_update (void)
{
  g_autoptr(JsonNode) first = parse (reference_assistant);
  g_autoptr(JsonNode) second = parse (live_assistant);
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *tools;
  NotifyCounter counter;
  guint changes = 0;

  assistant = epsimo_assistant_new_from_json (OBJ (first), &error);
  g_assert_no_error (error);
  tools = epsimo_assistant_get_tools (assistant);
  notify_counter_init (&counter, assistant);
  g_signal_connect (tools, "items-changed", G_CALLBACK (on_items_changed), &changes);

  g_assert_true (epsimo_assistant_update_from_json (assistant, OBJ (second), &error));
  g_assert_no_error (error);
  g_assert_true (epsimo_assistant_get_tools (assistant) == tools);
  g_assert_cmpuint (g_list_model_get_n_items (tools), ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (notify_count (&counter, "name"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "public"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "tags"), ==, 1);
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==, "Be kind");

  epsimo_assistant_set_public (assistant, TRUE);
  g_assert_cmpuint (notify_count (&counter, "public"), ==, 1);
  epsimo_assistant_set_model (assistant, NULL);
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o");

  g_signal_handlers_disconnect_by_func (tools, on_items_changed, &changes);
  notify_counter_clear (&counter, assistant);
}

/* Threads */

static void
test_thread_shapes (void)
{
  g_autoptr(JsonNode) reference = parse (
    "{\"thread_id\": \"thread_abc123\", \"name\": \"Customer #1234\","
    " \"assistant_id\": \"asst_xyz789\","
    " \"metadata\": {\"configurable\": {}, \"type\": \"thread\"},"
    " \"created_at\": \"2024-01-15T12:00:00Z\"}");
  g_autoptr(JsonNode) live = parse (
    "{\"thread_id\": \"0c9d\", \"name\": \"Chat\", \"assistant_id\": \"a1\","
    " \"created_at\": \"2024-01-15T12:00:00+00:00\","
    " \"updated_at\": \"2024-01-16T09:00:00+00:00\"}");
  g_autoptr(JsonNode) activity = parse (
    "{\"id\": \"t\", \"last_activity\": \"2024-01-17T09:00:00Z\"}");
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  thread = epsimo_thread_new_from_json (OBJ (reference), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_thread_get_id (thread), ==, "thread_abc123");
  g_assert_cmpstr (epsimo_thread_get_name (thread), ==, "Customer #1234");
  g_assert_cmpstr (epsimo_thread_get_assistant_id (thread), ==, "asst_xyz789");
  assert_date (epsimo_thread_get_created_at (thread), "2024-01-15T12:00:00Z");
  /* No activity time: falls back to the creation time. */
  assert_date (epsimo_thread_get_updated_at (thread), "2024-01-15T12:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (epsimo_thread_get_metadata (thread), "type"),
                   ==, "thread");
  g_clear_object (&thread);

  thread = epsimo_thread_new_from_json (OBJ (live), &error);
  g_assert_no_error (error);
  assert_date (epsimo_thread_get_updated_at (thread), "2024-01-16T09:00:00Z");
  g_clear_object (&thread);

  thread = epsimo_thread_new_from_json (OBJ (activity), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_thread_get_id (thread), ==, "t");
  g_assert_null (epsimo_thread_get_name (thread));
  g_assert_null (epsimo_thread_get_created_at (thread));
  assert_date (epsimo_thread_get_updated_at (thread), "2024-01-17T09:00:00Z");
}

static void
test_thread_errors (void)
{
  static const char * const bad[] = {
    "{\"name\": \"no id\"}",
    "{\"thread_id\": [], \"name\": \"array id\"}",
    "{\"thread_id\": \"\"}",
  };
  g_autoptr(JsonNode) lenient = parse ("{\"thread_id\": \"t\", \"name\": 4, \"assistant_id\": {},"
                                       " \"updated_at\": \"soon\", \"metadata\": 1}");
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_thread_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  thread = epsimo_thread_new_from_json (OBJ (lenient), &error);
  g_assert_no_error (error);
  g_assert_null (epsimo_thread_get_name (thread));
  g_assert_null (epsimo_thread_get_assistant_id (thread));
  g_assert_null (epsimo_thread_get_updated_at (thread));
}

static void
test_thread_round_trip (void)
{
  g_autoptr(EpsimoThread) thread = epsimo_thread_new ("Customer Support Session", "asst_xyz789");
  g_autoptr(JsonNode) reference = NULL;
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(EpsimoThread) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  NotifyCounter counter;

  reference = epsimo_thread_to_json (thread, EPSIMO_DIALECT_REFERENCE);
  assert_json_equal (reference, "{\"name\": \"Customer Support Session\", \"assistant_id\": "
                                "\"asst_xyz789\", \"metadata\": {\"configurable\": {}, \"type\": "
                                "\"thread\"}, \"configurable\": {\"type\": \"agent\"}}");
  live = epsimo_thread_to_json (thread, EPSIMO_DIALECT_LIVE);
  assert_json_equal (live, "{\"name\": \"Customer Support Session\", \"assistant_id\": "
                           "\"asst_xyz789\", \"metadata\": {\"type\": \"thread\"}}");

  json_object_set_string_member (OBJ (live), "thread_id", "t1");
  again = epsimo_thread_new_from_json (OBJ (live), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_thread_get_name (again), ==, "Customer Support Session");
  g_assert_cmpstr (epsimo_thread_get_assistant_id (again), ==, "asst_xyz789");

  notify_counter_init (&counter, again);
  epsimo_thread_set_updated_at (again, now);
  epsimo_thread_set_updated_at (again, now);
  g_assert_cmpuint (notify_count (&counter, "updated-at"), ==, 1);
  g_assert_true (g_date_time_equal (epsimo_thread_get_updated_at (again), now));
  /* A server reply without an activity time keeps the local one. */
  g_assert_true (epsimo_thread_update_from_json (again, OBJ (live), &error));
  g_assert_true (g_date_time_equal (epsimo_thread_get_updated_at (again), now));
  g_assert_cmpuint (notify_count (&counter, "updated-at"), ==, 1);
  notify_counter_clear (&counter, again);
}

/* Messages */

static void
test_message_reference (void)
{
  g_autoptr(JsonNode) list = parse (
    "{\"messages\": [{\"message_id\": \"msg_123\", \"role\": \"user\", \"content\": \"Hello\","
    " \"timestamp\": \"2024-01-15T12:00:00Z\"}, {\"role\": \"assistant\", \"content\":"
    " \"How can I help you?\", \"timestamp\": \"2024-01-15T12:01:05Z\"}], \"has_more\": false}");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(EpsimoMessage) first = NULL;
  g_autoptr(EpsimoMessage) second = NULL;
  g_autoptr(GError) error = NULL;

  items = epsimo_json_get_list (list, "messages", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);

  first = epsimo_message_new_from_json (json_node_get_object (items->pdata[0]), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_message_get_id (first), ==, "msg_123");
  g_assert_cmpint (epsimo_message_get_role (first), ==, EPSIMO_MESSAGE_ROLE_USER);
  g_assert_cmpstr (epsimo_message_get_content (first), ==, "Hello");
  assert_date (epsimo_message_get_timestamp (first), "2024-01-15T12:00:00Z");

  second = epsimo_message_new_from_json (json_node_get_object (items->pdata[1]), &error);
  g_assert_no_error (error);
  g_assert_null (epsimo_message_get_id (second));
  g_assert_cmpint (epsimo_message_get_role (second), ==, EPSIMO_MESSAGE_ROLE_ASSISTANT);
}

static void
test_message_live (void)
{
  static const struct {
    const char *json;
    EpsimoMessageRole role;
    const char *content;
  } cases[] = {
    { "{\"id\": \"h1\", \"type\": \"human\", \"content\": \"Hi\"}",
      EPSIMO_MESSAGE_ROLE_USER, "Hi" },
    { "{\"id\": \"a1\", \"type\": \"ai\", \"content\": \"Hello\"}", EPSIMO_MESSAGE_ROLE_ASSISTANT,
      "Hello" },
    { "{\"id\": \"a2\", \"type\": \"AIMessageChunk\", \"content\": [{\"type\": \"text\", \"text\":"
      " \"Hel\"}, {\"type\": \"image_url\", \"image_url\": \"x\"}, {\"type\": \"text\", \"text\":"
      " \"lo\"}, \"!\", 5]}", EPSIMO_MESSAGE_ROLE_ASSISTANT, "Hello!" },
    { "{\"id\": \"s1\", \"type\": \"system\", \"content\": \"Rules\"}", EPSIMO_MESSAGE_ROLE_SYSTEM,
      "Rules" },
    { "{\"id\": \"a3\", \"type\": \"ai\", \"content\": null}", EPSIMO_MESSAGE_ROLE_ASSISTANT, "" },
    { "{\"id\": \"a4\", \"type\": \"ai\", \"content\": 12}", EPSIMO_MESSAGE_ROLE_ASSISTANT, "" },
  };
  g_autoptr(JsonNode) tool_call = parse (
    "{\"id\": \"a5\", \"type\": \"ai\", \"content\": \"\", \"tool_calls\": [{\"id\": \"call_1\","
    " \"name\": \"update_database\", \"args\": {\"key\": \"k\", \"value\": {}}}]}");
  g_autoptr(JsonNode) tool_result = parse (
    "{\"id\": \"t1\", \"type\": \"tool\", \"name\": \"update_database\","
    " \"tool_call_id\": \"call_1\","
    " \"content\": \"ok\"}");
  g_autoptr(EpsimoMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);

      message = epsimo_message_new_from_json (OBJ (node), &error);
      g_assert_no_error (error);
      g_assert_cmpint (epsimo_message_get_role (message), ==, cases[i].role);
      g_assert_cmpstr (epsimo_message_get_content (message), ==, cases[i].content);
      g_assert_nonnull (epsimo_message_get_id (message));
      g_clear_object (&message);
    }

  message = epsimo_message_new_from_json (OBJ (tool_call), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (epsimo_message_get_tool_calls (message)), ==, 1);
  g_clear_object (&message);

  message = epsimo_message_new_from_json (OBJ (tool_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_message_get_role (message), ==, EPSIMO_MESSAGE_ROLE_TOOL);
  g_assert_cmpstr (epsimo_message_get_tool_call_id (message), ==, "call_1");
  g_assert_cmpstr (epsimo_message_get_name (message), ==, "update_database");
  g_assert_null (epsimo_message_get_tool_calls (message));
}

static void
test_message_errors (void)
{
  static const char * const bad[] = {
    "{\"content\": \"no role\"}",
    "{\"role\": 1, \"content\": \"x\"}",
    "{\"type\": [\"ai\"], \"content\": \"x\"}",
    "{\"role\": \"narrator\", \"content\": \"x\"}",
    "{\"type\": \"remove\"}",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_message_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
}

static void
test_message_round_trip (void)
{
  static const EpsimoMessageRole roles[] = {
    EPSIMO_MESSAGE_ROLE_USER, EPSIMO_MESSAGE_ROLE_ASSISTANT,
    EPSIMO_MESSAGE_ROLE_TOOL, EPSIMO_MESSAGE_ROLE_SYSTEM,
  };
  static const EpsimoDialect dialects[] = { EPSIMO_DIALECT_REFERENCE, EPSIMO_DIALECT_LIVE };
  g_autoptr(EpsimoMessage) user = epsimo_message_new (EPSIMO_MESSAGE_ROLE_USER, "Hello");
  g_autoptr(JsonNode) node = NULL;
  NotifyCounter counter;

  node = epsimo_message_to_json (user, EPSIMO_DIALECT_LIVE);
  assert_json_equal (node, "{\"role\": \"user\", \"content\": \"Hello\", \"type\": \"human\"}");
  g_clear_pointer (&node, json_node_unref);
  node = epsimo_message_to_json (user, EPSIMO_DIALECT_REFERENCE);
  assert_json_equal (node, "{\"role\": \"user\", \"content\": \"Hello\"}");

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
      {
        g_autoptr(EpsimoMessage) message = epsimo_message_new (roles[r], "text ✓");
        g_autoptr(JsonNode) written = epsimo_message_to_json (message, dialects[d]);
        g_autoptr(EpsimoMessage) again = NULL;
        g_autoptr(GError) error = NULL;

        again = epsimo_message_new_from_json (OBJ (written), &error);
        g_assert_no_error (error);
        g_assert_cmpint (epsimo_message_get_role (again), ==, roles[r]);
        g_assert_cmpstr (epsimo_message_get_content (again), ==, "text ✓");
      }

  /* Streaming appends notify; no-op changes do not. */
  notify_counter_init (&counter, user);
  epsimo_message_append_content (user, ", world");
  epsimo_message_append_content (user, "");
  epsimo_message_set_content (user, "Hello, world");
  g_assert_cmpstr (epsimo_message_get_content (user), ==, "Hello, world");
  g_assert_cmpuint (notify_count (&counter, "content"), ==, 1);
  notify_counter_clear (&counter, user);

  g_assert_cmpstr (epsimo_message_role_to_string (EPSIMO_MESSAGE_ROLE_TOOL), ==, "tool");
  g_assert_true (G_TYPE_IS_ENUM (EPSIMO_TYPE_MESSAGE_ROLE));
}

/* Files */

static void
test_file_shapes (void)
{
  g_autoptr(JsonNode) listed = parse (
    "[{\"file_id\": \"file_abc123\", \"filename\": \"document.pdf\", \"size\": 1024567,"
    " \"mime_type\": \"application/pdf\", \"uploaded_at\": \"2024-01-15T13:00:00Z\"}]");
  g_autoptr(JsonNode) uploaded = parse (
    "{\"file_id\": \"file_new789\", \"filename\": \"document.pdf\", \"size\": 1024567,"
    " \"purpose\": \"retrieval\", \"uploaded_at\": \"2024-01-15T13:15:00Z\"}");
  g_autoptr(JsonNode) live = parse (
    "{\"id\": \"f1\", \"name\": \"../../etc/passwd\\nevil.txt\", \"bytes\": 7,"
    " \"content_type\": \"text/plain\", \"created_at\": \"2024-01-15T13:15:00Z\"}");
  g_autoptr(JsonNode) nameless = parse ("{\"file_id\": \"f2\", \"size\": -5}");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(GError) error = NULL;

  items = epsimo_json_get_list (listed, "files", &error);
  g_assert_no_error (error);
  file = epsimo_file_new_from_json (json_node_get_object (items->pdata[0]), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_file_get_id (file), ==, "file_abc123");
  g_assert_cmpstr (epsimo_file_get_filename (file), ==, "document.pdf");
  g_assert_cmpuint (epsimo_file_get_size (file), ==, 1024567);
  g_assert_cmpstr (epsimo_file_get_mime_type (file), ==, "application/pdf");
  assert_date (epsimo_file_get_uploaded_at (file), "2024-01-15T13:00:00Z");
  g_assert_null (epsimo_file_get_purpose (file));
  g_clear_object (&file);

  file = epsimo_file_new_from_json (OBJ (uploaded), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_file_get_purpose (file), ==, "retrieval");
  g_clear_object (&file);

  file = epsimo_file_new_from_json (OBJ (live), &error);
  g_assert_no_error (error);
  /* A display name: control characters gone. */
  g_assert_cmpstr (epsimo_file_get_filename (file), ==, "../../etc/passwd evil.txt");
  g_assert_cmpuint (epsimo_file_get_size (file), ==, 7);
  g_assert_cmpstr (epsimo_file_get_mime_type (file), ==, "text/plain");
  g_assert_nonnull (epsimo_file_get_uploaded_at (file));
  g_clear_object (&file);

  file = epsimo_file_new_from_json (OBJ (nameless), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_file_get_filename (file), ==, "f2");
  g_assert_cmpuint (epsimo_file_get_size (file), ==, 0);
}

static void
test_file_errors (void)
{
  static const char * const bad[] = {
    "{\"filename\": \"document.pdf\"}",
    "{\"file_id\": true, \"filename\": \"document.pdf\"}",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_file_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
}

/* Balance */

static void
test_balance (void)
{
  g_autoptr(JsonNode) credits = parse (
    "{\"thread_counter\": 45, \"thread_max\": 100, \"threads_remaining\": 55,"
    " \"subscription_tier\": \"standard\"}");
  g_autoptr(JsonNode) info = parse (
    "{\"email\": \"user@example.com\", \"user_id\": \"usr_123\", \"thread_counter\": 46,"
    " \"thread_max\": 100, \"subscription_tier\": \"standard\"}");
  g_autoptr(JsonNode) over = parse ("{\"thread_counter\": 120, \"thread_max\": 100}");
  g_autoptr(JsonNode) explicit_remaining = parse (
    "{\"thread_counter\": 10, \"thread_max\": 100, \"threads_remaining\": 5}");
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  NotifyCounter counter;

  balance = epsimo_balance_new_from_json (OBJ (credits), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_thread_counter (balance), ==, 45);
  g_assert_cmpint (epsimo_balance_get_thread_max (balance), ==, 100);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 55);
  g_assert_cmpstr (epsimo_balance_get_subscription_tier (balance), ==, "standard");
  g_assert_null (epsimo_balance_get_email (balance));

  /* thread-info: remaining is computed; the tier stays. */
  notify_counter_init (&counter, balance);
  g_assert_true (epsimo_balance_update_from_json (balance, OBJ (info), &error));
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 54);
  g_assert_cmpstr (epsimo_balance_get_email (balance), ==, "user@example.com");
  g_assert_cmpstr (epsimo_balance_get_user_id (balance), ==, "usr_123");
  g_assert_cmpuint (notify_count (&counter, "thread-counter"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "thread-max"), ==, 0);
  g_assert_cmpuint (notify_count (&counter, "threads-remaining"), ==, 1);
  g_assert_cmpuint (notify_count (&counter, "subscription-tier"), ==, 0);
  g_assert_cmpuint (notify_count (&counter, "email"), ==, 1);
  notify_counter_clear (&counter, balance);
  g_clear_object (&balance);

  balance = epsimo_balance_new_from_json (OBJ (info), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 54);
  g_clear_object (&balance);

  balance = epsimo_balance_new_from_json (OBJ (over), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 0);
  g_clear_object (&balance);

  balance = epsimo_balance_new_from_json (OBJ (explicit_remaining), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 5);
}

static void
test_balance_errors (void)
{
  static const char * const bad[] = {
    "{\"thread_max\": 100}",
    "{\"thread_counter\": 45}",
    "{\"thread_counter\": \"45\", \"thread_max\": 100}",
    "{\"thread_counter\": 45, \"thread_max\": 100.5}",
  };
  g_autoptr(JsonNode) lenient = parse ("{\"thread_counter\": 45, \"thread_max\": 100,"
                                       " \"threads_remaining\": \"many\", \"email\": 3}");
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);

      g_assert_null (epsimo_balance_new_from_json (OBJ (node), &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  balance = epsimo_balance_new_from_json (OBJ (lenient), &error);
  g_assert_no_error (error);
  g_assert_cmpint (epsimo_balance_get_threads_remaining (balance), ==, 55);
  g_assert_null (epsimo_balance_get_email (balance));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/getters", test_json_getters);
  g_test_add_func ("/json/token", test_json_token);
  g_test_add_func ("/json/date-time", test_json_date_time);
  g_test_add_func ("/json/list", test_json_list);
  g_test_add_func ("/json/parse-and-copy", test_json_parse_and_copy);
  g_test_add_func ("/project/reference", test_project_reference);
  g_test_add_func ("/project/live", test_project_live);
  g_test_add_func ("/project/errors", test_project_errors);
  g_test_add_func ("/project/round-trip", test_project_round_trip);
  g_test_add_func ("/project/notify", test_project_notify);
  g_test_add_func ("/tool/reference", test_tool_reference);
  g_test_add_func ("/tool/live", test_tool_live);
  g_test_add_func ("/tool/errors", test_tool_errors);
  g_test_add_func ("/tool/new-and-ids", test_tool_new_and_ids);
  g_test_add_func ("/tool/presets", test_tool_presets);
  g_test_add_func ("/tool/round-trip", test_tool_round_trip);
  g_test_add_func ("/assistant/reference", test_assistant_reference);
  g_test_add_func ("/assistant/live", test_assistant_live);
  g_test_add_func ("/assistant/errors", test_assistant_errors);
  g_test_add_func ("/assistant/to-json", test_assistant_to_json);
  g_test_add_func ("/assistant/round-trip", test_assistant_round_trip);
  g_test_add_func ("/assistant/copy", test_assistant_copy);
  g_test_add_func ("/assistant/update", test_assistant_update);
  g_test_add_func ("/thread/shapes", test_thread_shapes);
  g_test_add_func ("/thread/errors", test_thread_errors);
  g_test_add_func ("/thread/round-trip", test_thread_round_trip);
  g_test_add_func ("/message/reference", test_message_reference);
  g_test_add_func ("/message/live", test_message_live);
  g_test_add_func ("/message/errors", test_message_errors);
  g_test_add_func ("/message/round-trip", test_message_round_trip);
  g_test_add_func ("/file/shapes", test_file_shapes);
  g_test_add_func ("/file/errors", test_file_errors);
  g_test_add_func ("/balance/shapes", test_balance);
  g_test_add_func ("/balance/errors", test_balance_errors);

  return g_test_run ();
}
