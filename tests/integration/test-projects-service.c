/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-projects-service"

#include "config.h"

#include "epsimo-api-error.h"
#include "epsimo-assistants-service.h"
#include "epsimo-projects-service.h"
#include "epsimo-test-harness.h"

static GPtrArray *
list_projects (EpsimoProjectsService  *service,
               GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_projects_service_list_async (service, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_projects_service_list_finish (service, result, error);
}

static EpsimoProject *
get_project (EpsimoProjectsService  *service,
             const char             *id,
             GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_projects_service_get_async (service, id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_projects_service_get_finish (service, result, error);
}

static void
test_projects_crud (EpsimoTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (fixture->client);
  g_autoptr(EpsimoProject) draft = NULL;
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(EpsimoProject) fetched = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *slot = NULL;
  JsonObject *request;

  projects = list_projects (service, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 0);
  g_clear_pointer (&projects, g_ptr_array_unref);

  /* Create */
  draft = epsimo_project_new ("Alpha", "The first one");
  json_object_set_string_member (metadata, "color", "blue");
  epsimo_project_set_metadata (draft, metadata);
  epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  project = epsimo_projects_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (epsimo_project_get_id (project));
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "Alpha");
  g_assert_cmpstr (epsimo_project_get_description (project), ==, "The first one");
  g_clear_object (&result);

  requests = epsimo_test_server_get_requests (fixture->server);
  request = epsimo_test_find_request (requests, "POST", "/projects/");
  g_assert_nonnull (request);
  body = epsimo_test_request_body (request);
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Alpha");
  g_assert_cmpstr (json_object_get_string_member (body, "description"), ==, "The first one");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "metadata"),
                                                  "color"), ==, "blue");
  g_clear_pointer (&requests, json_array_unref);
  g_clear_pointer (&body, json_object_unref);

  /* List */
  projects = list_projects (service, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 1);
  g_assert_cmpstr (epsimo_project_get_name (g_ptr_array_index (projects, 0)), ==, "Alpha");
  g_clear_pointer (&projects, g_ptr_array_unref);

  /* The create answer seeded the project token: a project-scoped call
   * needs no GET /projects/{id} first. */
  {
    g_autoptr(EpsimoAssistantsService) assistants = NULL;
    g_autoptr(GPtrArray) list = NULL;

    assistants = epsimo_assistants_service_new (fixture->client);
    epsimo_test_server_clear_requests (fixture->server);
    epsimo_assistants_service_list_async (assistants, epsimo_project_get_id (project), NULL,
                                          epsimo_test_async_cb, &slot);
    result = epsimo_test_await (&slot);
    list = epsimo_assistants_service_list_finish (assistants, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 0);
    g_clear_object (&result);

    requests = epsimo_test_server_get_requests (fixture->server);
    g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/projects/*"), ==, 0);
    g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/assistants/"), ==, 1);
    g_clear_pointer (&requests, json_array_unref);
  }

  /* Get */
  fetched = get_project (service, epsimo_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_id (fetched), ==, epsimo_project_get_id (project));
  g_assert_cmpstr (epsimo_project_get_name (fetched), ==, "Alpha");
  g_clear_object (&fetched);

  /* Update, in place */
  epsimo_project_set_name (project, "Beta");
  epsimo_project_set_description (project, "Renamed");
  epsimo_projects_service_update_async (service, project, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_projects_service_update_finish (service, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_name (project), ==, "Beta");
  g_clear_object (&result);

  path = g_strconcat ("/projects/", epsimo_project_get_id (project), NULL);
  requests = epsimo_test_server_get_requests (fixture->server);
  request = epsimo_test_find_request (requests, "PUT", path);
  g_assert_nonnull (request);
  body = epsimo_test_request_body (request);
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Beta");
  g_clear_pointer (&requests, json_array_unref);

  fetched = get_project (service, epsimo_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_project_get_name (fetched), ==, "Beta");
  g_assert_cmpstr (epsimo_project_get_description (fetched), ==, "Renamed");
  g_clear_object (&fetched);

  /* Delete, confirmed */
  epsimo_projects_service_delete_async (service, epsimo_project_get_id (project), NULL,
                                        epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_projects_service_delete_finish (service, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  requests = epsimo_test_server_get_requests (fixture->server);
  request = epsimo_test_find_request (requests, "DELETE", path);
  g_assert_nonnull (request);
  g_assert_cmpstr (json_object_get_string_member (request, "query"), ==, "confirm=true");
  g_clear_pointer (&requests, json_array_unref);

  projects = list_projects (service, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 0);

  fetched = get_project (service, epsimo_project_get_id (project), &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
  g_assert_null (fetched);
}

static void
test_projects_validation (EpsimoTestFixture *fixture,
                          gconstpointer      data)
{
  g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (fixture->client);
  g_autoptr(EpsimoProject) draft = epsimo_project_new ("", NULL);
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* The server refuses an empty name: the error names the field. */
  epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  project = epsimo_projects_service_create_finish (service, result, &error);
  g_assert_null (project);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
  g_assert_cmpstr (epsimo_api_error_get_field (error), ==, "name");
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/projects-service/crud", test_projects_crud);
  epsimo_test_add_both_dialects ("/projects-service/validation", test_projects_validation);

  return g_test_run ();
}
