/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-assistants-service"

#include "config.h"

#include "epsimo-api-error.h"
#include "epsimo-assistants-service.h"
#include "epsimo-test-harness.h"

static EpsimoAssistant *
get_assistant (EpsimoAssistantsService  *service,
               const char               *project_id,
               const char               *id,
               GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_assistants_service_get_async (service, project_id, id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_assistants_service_get_finish (service, result, error);
}

static GPtrArray *
list_assistants (EpsimoAssistantsService  *service,
                 const char               *project_id,
                 GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_assistants_service_list_async (service, project_id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_assistants_service_list_finish (service, result, error);
}

/* The body of the last @method @path the server received. */
static JsonObject *
last_body (EpsimoTestFixture *fixture,
           const char        *method,
           const char        *path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);
  JsonObject *request = epsimo_test_find_request (requests, method, path);

  g_assert_nonnull (request);
  return epsimo_test_request_body (request);
}

static void
assert_config_shape (EpsimoTestFixture *fixture,
                     JsonObject        *body,
                     const char        *instructions)
{
  JsonObject *config = json_object_get_object_member (body, "config");
  JsonObject *configurable = json_object_get_object_member (config, "configurable");

  if (epsimo_test_fixture_is_live (fixture))
    {
      JsonArray *tools = json_object_get_array_member (configurable, "type==agent/tools");
      JsonObject *search;

      g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/system_message"),
                       ==, instructions);
      g_assert_cmpstr (json_object_get_string_member (configurable, "type==agent/model"),
                       ==, "gpt-4o-mini");
      g_assert_false (json_object_has_member (config, "instructions"));
      g_assert_cmpuint (json_array_get_length (tools), ==, 2);
      search = json_array_get_object_element (tools, 0);
      g_assert_cmpstr (json_object_get_string_member (search, "type"), ==, "search_tavily");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (search, "id"),
                                       "search_tavily-"));
      g_assert_cmpint (json_object_get_int_member (
                         json_object_get_object_member (search, "config"), "max_results"),
                       ==, 3);
    }
  else
    {
      JsonArray *tools = json_object_get_array_member (config, "tools");
      JsonObject *search;

      g_assert_cmpstr (json_object_get_string_member (config, "instructions"), ==, instructions);
      g_assert_cmpstr (json_object_get_string_member (config, "model"), ==, "gpt-4o-mini");
      g_assert_false (json_object_has_member (configurable, "type==agent/system_message"));
      g_assert_cmpuint (json_array_get_length (tools), ==, 2);
      search = json_array_get_object_element (tools, 0);
      g_assert_cmpstr (json_object_get_string_member (search, "type"), ==, "search_tavily");
      g_assert_cmpint (json_object_get_int_member (search, "max_results"), ==, 3);
    }
}

static void
test_assistants_crud (EpsimoTestFixture *fixture,
                      gconstpointer      data)
{
  g_autoptr(EpsimoAssistantsService) service = epsimo_assistants_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Assistants");
  g_autoptr(EpsimoAssistant) draft = epsimo_assistant_new ("Researcher");
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoAssistant) fetched = NULL;
  g_autoptr(EpsimoTool) search = epsimo_tool_new ("search_tavily");
  g_autoptr(EpsimoTool) update_db = epsimo_tool_new_update_database ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *slot = NULL;
  GListModel *tools;

  g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_UNKNOWN);

  epsimo_assistant_set_instructions (draft, "Find papers.");
  epsimo_assistant_set_model (draft, "gpt-4o-mini");
  epsimo_tool_set_max_results (search, 3);
  epsimo_assistant_add_tool (draft, search);
  epsimo_assistant_add_tool (draft, update_db);

  epsimo_test_server_clear_requests (fixture->server);
  epsimo_assistants_service_create_async (service, project_id, draft,
                                          NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (epsimo_assistant_get_id (assistant));
  g_assert_cmpstr (epsimo_assistant_get_name (assistant), ==, "Researcher");
  g_assert_cmpstr (epsimo_assistant_get_instructions (assistant), ==, "Find papers.");
  g_assert_cmpstr (epsimo_assistant_get_model (assistant), ==, "gpt-4o-mini");
  g_assert_cmpuint (g_list_model_get_n_items (epsimo_assistant_get_tools (assistant)), ==, 2);
  g_clear_object (&result);

  /* The dialect was learned first (the live catalogue, or the reference
   * balance after a 404), and the body written in its shape. */
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/tools/"), ==, 1);
  if (epsimo_test_fixture_is_live (fixture))
    {
      g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_LIVE);
      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/credits/balance"), ==, 0);
    }
  else
    {
      g_assert_cmpint (epsimo_client_get_dialect (fixture->client), ==, EPSIMO_DIALECT_REFERENCE);
      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/credits/balance"), ==, 1);
    }
  g_clear_pointer (&requests, json_array_unref);

  body = last_body (fixture, "POST", "/assistants/");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Researcher");
  assert_config_shape (fixture, body, "Find papers.");
  g_clear_pointer (&body, json_object_unref);

  /* Read back */
  fetched = get_assistant (service, project_id, epsimo_assistant_get_id (assistant), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_assistant_get_instructions (fetched), ==, "Find papers.");
  tools = epsimo_assistant_get_tools (fetched);
  g_assert_cmpuint (g_list_model_get_n_items (tools), ==, 2);
  {
    g_autoptr(EpsimoTool) first = g_list_model_get_item (tools, 0);
    g_autoptr(EpsimoTool) second = g_list_model_get_item (tools, 1);

    g_assert_cmpstr (epsimo_tool_get_tool_type (first), ==, "search_tavily");
    g_assert_cmpint (epsimo_tool_get_max_results (first), ==, 3);
    g_assert_cmpstr (epsimo_tool_get_tool_type (second), ==, "function");
    g_assert_cmpstr (epsimo_tool_get_name (second), ==, "update_database");
    g_assert_nonnull (epsimo_tool_get_parameters (second));
  }
  g_clear_object (&fetched);

  list = list_assistants (service, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Update in place */
  epsimo_assistant_set_instructions (assistant, "Find recent papers.");
  epsimo_assistants_service_update_async (service, project_id, assistant, NULL,
                                          epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_assistants_service_update_finish (service, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  path = g_strconcat ("/assistants/", epsimo_assistant_get_id (assistant), NULL);
  body = last_body (fixture, "PUT", path);
  assert_config_shape (fixture, body, "Find recent papers.");

  fetched = get_assistant (service, project_id, epsimo_assistant_get_id (assistant), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_assistant_get_instructions (fetched), ==, "Find recent papers.");
  g_clear_object (&fetched);

  /* Delete */
  epsimo_assistants_service_delete_async (service, project_id, epsimo_assistant_get_id (assistant),
                                          NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_assistants_service_delete_finish (service, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  list = list_assistants (service, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  fetched = get_assistant (service, project_id, epsimo_assistant_get_id (assistant), &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
  g_assert_null (fetched);
}

static void
test_tool_catalogue (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(EpsimoAssistantsService) service = epsimo_assistants_service_new (fixture->client);
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GAsyncResult *slot = NULL;
  gboolean healthy = FALSE;
  gboolean found = FALSE;

  epsimo_assistants_service_list_tools_async (service, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  tools = epsimo_assistants_service_list_tools_finish (service, result, &error);
  g_clear_object (&result);

  if (!epsimo_test_fixture_is_live (fixture))
    {
      /* No catalogue in the reference: the UI uses its own. */
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
      g_assert_null (tools);
      g_clear_error (&error);

      epsimo_assistants_service_get_tool_health_async (service, "search_tavily", NULL,
                                                       epsimo_test_async_cb, &slot);
      result = epsimo_test_await (&slot);
      g_assert_false (epsimo_assistants_service_get_tool_health_finish (service, result, &healthy,
                                                                        &message, &error));
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (tools->len, >=, 2);
  for (guint i = 0; i < tools->len; i++)
    if (g_strcmp0 (epsimo_tool_get_tool_type (g_ptr_array_index (tools, i)), "search_tavily") == 0)
      found = TRUE;
  g_assert_true (found);

  epsimo_assistants_service_get_tool_health_async (service, "search_tavily", NULL,
                                                   epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_assistants_service_get_tool_health_finish (service, result, &healthy,
                                                                   &message, &error));
  g_assert_no_error (error);
  g_assert_true (healthy);
  g_clear_object (&result);
  g_clear_pointer (&message, g_free);

  epsimo_assistants_service_get_tool_health_async (service, "dall_e", NULL,
                                                   epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_assistants_service_get_tool_health_finish (service, result, &healthy,
                                                                   &message, &error));
  g_assert_no_error (error);
  g_assert_false (healthy);
  g_assert_cmpstr (message, ==, "Image generation is down");
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/assistants-service/crud", test_assistants_crud);
  epsimo_test_add_both_dialects ("/assistants-service/tool-catalogue", test_tool_catalogue);

  return g_test_run ();
}
