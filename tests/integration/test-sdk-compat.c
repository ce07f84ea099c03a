/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sdk-compat"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "epsimo-assistants-service.h"
#include "epsimo-files-service.h"
#include "epsimo-test-harness.h"

/* The official Python SDK (the modules under epsimo/resources/) talks to the live backend
 * in its own way: it fetches GET /projects/{id} for a project token before
 * every project-scoped call, uploads with the multipart field `files`, and
 * streams with stream_mode ["messages", "events", "values"]. The test server
 * must serve that sequence as the live backend does, and our client must
 * send the same shapes. */

typedef struct
{
  EpsimoTestServer *server;
  SoupSession      *session;
  char             *user_token;
} Sdk;

static JsonNode *
sdk_request (Sdk        *sdk,
             const char *method,
             const char *path,
             const char *token,
             const char *json_body,
             guint       expected_status)
{
  g_autofree char *url = g_strconcat (epsimo_test_server_get_url (sdk->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (sdk->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (answer, &len);
  text = g_strndup (data, len);
  if (soup_message_get_status (msg) != expected_status)
    g_error ("%s %s answered %u, not %u: %s", method, path, soup_message_get_status (msg),
             expected_status, text);

  if (len == 0)
    return NULL;
  return json_from_string (text, NULL);
}

/* As the SDK's get_project_headers(): the token from GET /projects/{id}. */
static char *
sdk_project_token (Sdk        *sdk,
                   const char *project_id)
{
  g_autofree char *path = g_strconcat ("/projects/", project_id, NULL);
  g_autoptr(JsonNode) node = sdk_request (sdk, "GET", path, sdk->user_token, NULL, 200);
  JsonObject *object = json_node_get_object (node);

  return g_strdup (json_object_get_string_member (object, "access_token"));
}

static const char *
member (JsonNode   *node,
        const char *name)
{
  return json_object_get_string_member (json_node_get_object (node), name);
}

static void
test_sdk_sequence (void)
{
  Sdk sdk = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *assistant_id = NULL;
  g_autofree char *thread_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *project_path = NULL;
  guint scoped = 0;

  sdk.server = epsimo_test_server_start ("live", NULL);
  sdk.session = soup_session_new ();

  node = sdk_request (&sdk, "POST", "/auth/signup", NULL,
                      "{\"email\": \"sdk@example.test\", \"password\": \"long enough password\"}",
                      200);
  g_clear_pointer (&node, json_node_unref);
  node = sdk_request (&sdk, "POST", "/auth/login", NULL,
                      "{\"email\": \"sdk@example.test\", \"password\": \"long enough password\"}",
                      200);
  sdk.user_token = g_strdup (member (node, "jwt_token"));
  g_assert_cmpstr (sdk.user_token, ==, member (node, "access_token"));
  g_clear_pointer (&node, json_node_unref);

  node = sdk_request (&sdk, "POST", "/projects/", sdk.user_token,
                      "{\"name\": \"SDK\", \"description\": \"\", \"metadata\": {}}", 201);
  project_id = g_strdup (member (node, "project_id"));
  project_path = g_strconcat ("/projects/", project_id, NULL);
  g_clear_pointer (&node, json_node_unref);
  epsimo_test_server_clear_requests (sdk.server);

  /* assistants.create */
  token = sdk_project_token (&sdk, project_id);
  node = sdk_request (&sdk, "POST", "/assistants/", token,
                      "{\"name\": \"SDK assistant\", \"public\": true, "
                      "\"config\": {\"configurable\": "
                      "{\"type\": \"agent\", \"type==agent/agent_type\": \"GPT-4O\", "
                      "\"type==agent/model\": \"gpt-4o\", \"type==agent/system_message\": \"Hi\", "
                      "\"type==agent/tools\": [{\"id\": \"ddg_search-0a1b2c3d\", "
                      "\"name\": \"DDG\", "
                      "\"type\": \"ddg_search\", \"description\": \"Search\", \"config\": {}}]}}}",
                      201);
  assistant_id = g_strdup (member (node, "assistant_id"));
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);

  /* threads.create */
  token = sdk_project_token (&sdk, project_id);
  body = g_strdup_printf ("{\"name\": \"SDK thread\", \"assistant_id\": \"%s\", "
                          "\"metadata\": {\"type\": \"thread\"}}", assistant_id);
  node = sdk_request (&sdk, "POST", "/threads/", token, body, 201);
  thread_id = g_strdup (member (node, "thread_id"));
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&body, g_free);

  /* threads.list: the wrapped form */
  token = sdk_project_token (&sdk, project_id);
  node = sdk_request (&sdk, "GET", "/threads/", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (node), "threads")),
                    ==, 1);
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);

  /* files.upload: multipart field `files` */
  token = sdk_project_token (&sdk, project_id);
  {
    g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
    g_autoptr(GBytes) content = g_bytes_new_static ("retrieval text\n", 15);
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *url = NULL;
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(JsonNode) files = NULL;

    soup_multipart_append_form_file (multipart, "files", "notes.txt", "text/plain", content);
    url = g_strdup_printf ("%s/assistants/%s/files", epsimo_test_server_get_url (sdk.server),
                           assistant_id);
    msg = soup_message_new_from_multipart (url, multipart);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    answer = soup_session_send_and_read (sdk.session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
    files = json_from_string (g_bytes_get_data (answer, NULL), NULL);
    g_assert_nonnull (files);
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (
                         json_object_get_array_member (json_node_get_object (files), "files"), 0),
                       "filename"), ==, "notes.txt");
  }
  scoped++;
  g_clear_pointer (&token, g_free);

  /* files.list */
  token = sdk_project_token (&sdk, project_id);
  path = g_strdup_printf ("/assistants/%s/files", assistant_id);
  node = sdk_request (&sdk, "GET", path, token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (node), "files")),
                    ==, 1);
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&path, g_free);

  /* threads.set_state, then get_state */
  token = sdk_project_token (&sdk, project_id);
  path = g_strdup_printf ("/threads/%s/state", thread_id);
  node = sdk_request (&sdk, "POST", path, token,
                      "{\"values\": {\"plan\": {\"step\": 1}}, \"config\": {}}", 200);
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);

  token = sdk_project_token (&sdk, project_id);
  node = sdk_request (&sdk, "GET", path, token, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (node), "values"),
                       "plan"), "step"), ==, 1);
  scoped++;
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&token, g_free);

  /* threads.run_stream with the SDK's default modes */
  token = sdk_project_token (&sdk, project_id);
  {
    g_autofree char *url = g_strconcat (epsimo_test_server_get_url (sdk.server), "/runs/stream",
                                        NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) payload = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *text = NULL;

    body = g_strdup_printf ("{\"thread_id\": \"%s\", \"assistant_id\": \"%s\", \"input\": "
                            "[{\"role\": \"user\", \"content\": \"Hello\", \"type\": \"human\"}], "
                            "\"stream_mode\": [\"messages\", \"events\", \"values\"]}",
                            thread_id, assistant_id);
    payload = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (msg, "application/json", payload);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                  "text/event-stream");
    answer = soup_session_send_and_read (sdk.session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
    g_assert_nonnull (strstr (text, "event: messages"));
    g_assert_nonnull (strstr (text, "data: [DONE]"));
  }
  scoped++;
  g_clear_pointer (&token, g_free);

  /* What the server saw: each project-scoped call right after its own
   * project fetch, carrying the token that fetch returned. */
  requests = epsimo_test_server_get_requests (sdk.server);
  g_assert_cmpuint (json_array_get_length (requests), ==, 2 * scoped);
  for (guint i = 0; i < json_array_get_length (requests); i += 2)
    {
      JsonObject *fetch = json_array_get_object_element (requests, i);
      JsonObject *call = json_array_get_object_element (requests, i + 1);
      g_autofree char *user_auth = g_strconcat ("Bearer ", sdk.user_token, NULL);

      g_assert_cmpstr (json_object_get_string_member (fetch, "method"), ==, "GET");
      g_assert_cmpstr (json_object_get_string_member (fetch, "path"), ==, project_path);
      g_assert_cmpstr (json_object_get_string_member (fetch, "authorization"), ==, user_auth);
      g_assert_cmpstr (json_object_get_string_member (call, "authorization"), !=, user_auth);
    }
  g_assert_true (g_str_has_prefix (
                   json_object_get_string_member (epsimo_test_find_request (requests, "POST",
                                                                            "/assistants/*/files"),
                                                  "content_type"),
                   "multipart/form-data"));

  g_free (sdk.user_token);
  g_clear_object (&sdk.session);
  epsimo_test_server_stop (sdk.server);
}

/* Our client, given only the user token (as after a restart), fetches the
 * project token the SDK's way before its first project-scoped call, and
 * keeps it for the next ones. */
static void
test_client_project_fetch (EpsimoTestFixture *fixture,
                           gconstpointer      data)
{
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Fetch");
  g_autofree char *project_path = g_strconcat ("/projects/", project_id, NULL);
  g_autofree char *token = epsimo_client_dup_user_token (fixture->client);
  g_autoptr(EpsimoClient) client = epsimo_test_client_new (fixture->server);
  g_autoptr(EpsimoAssistantsService) service = epsimo_assistants_service_new (client);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *first;
  JsonObject *second;

  epsimo_client_set_user_token (client, token);
  epsimo_test_server_clear_requests (fixture->server);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) list = NULL;
      GAsyncResult *slot = NULL;

      epsimo_assistants_service_list_async (service, project_id, NULL, epsimo_test_async_cb,
                                            &slot);
      result = epsimo_test_await (&slot);
      list = epsimo_assistants_service_list_finish (service, result, &error);
      g_assert_no_error (error);
    }

  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  first = json_array_get_object_element (requests, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==, project_path);
  second = json_array_get_object_element (requests, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "path"), ==, "/assistants/");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 2),
                                                  "path"), ==, "/assistants/");
}

/* Our upload is stored on the live backend like the SDK's. */
static void
test_client_upload_live (EpsimoTestFixture *fixture,
                         gconstpointer      data)
{
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Upload");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Reader");
  g_autoptr(EpsimoFilesService) service = epsimo_files_service_new (fixture->client);
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) local = NULL;
  g_autofree char *dir = g_dir_make_tmp ("epsimo-sdk-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "guide.md", NULL);
  GAsyncResult *slot = NULL;
  JsonArray *files;

  g_file_set_contents (path, "# Guide\n", -1, &error);
  g_assert_no_error (error);
  local = g_file_new_for_path (path);

  epsimo_files_service_upload_async (service, project_id, assistant_id, local, NULL, NULL, NULL,
                                     NULL, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  file = epsimo_files_service_upload_finish (service, result, &error);
  g_assert_no_error (error);

  state = epsimo_test_server_get_state (fixture->server);
  files = json_object_get_array_member (
            json_array_get_object_element (json_object_get_array_member (state, "projects"), 0),
            "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "assistant_id"), ==, assistant_id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0),
                                                  "filename"), ==, "guide.md");

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  g_test_add_func ("/sdk-compat/sequence", test_sdk_sequence);
  g_test_add ("/sdk-compat/client-project-fetch/live", EpsimoTestFixture, "live",
              epsimo_test_fixture_setup, test_client_project_fetch, epsimo_test_fixture_teardown);
  g_test_add ("/sdk-compat/client-upload/live", EpsimoTestFixture, "live",
              epsimo_test_fixture_setup, test_client_upload_live, epsimo_test_fixture_teardown);

  return g_test_run ();
}
