/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-request.h"

static GStrv
split_path (const char *path,
            guint      *n_out)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  GPtrArray *segments = g_ptr_array_new ();

  /* "/projects/" and "/projects" both give ["projects"]; inner empty
   * segments stay, so "/threads//state" matches nothing. */
  for (guint i = 0; raw[i] != NULL; i++)
    {
      if (i == 0 && raw[i][0] == '\0')
        continue;
      if (raw[i + 1] == NULL && raw[i][0] == '\0')
        continue;
      g_ptr_array_add (segments, g_uri_unescape_string (raw[i], NULL));
    }

  /* An undecodable segment (a %00) becomes an impossible one. */
  for (guint i = 0; i < segments->len; i++)
    if (g_ptr_array_index (segments, i) == NULL)
      segments->pdata[i] = g_strdup ("\x01");

  *n_out = segments->len;
  g_ptr_array_add (segments, NULL);
  return (GStrv) g_ptr_array_free (segments, FALSE);
}

EpsimoTsRequest *
epsimo_ts_request_new (EpsimoTsServer    *srv,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query)
{
  EpsimoTsRequest *req = g_new0 (EpsimoTsRequest, 1);

  req->srv = srv;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->path = g_strdup (path);
  req->query = query ? g_hash_table_ref (query) : NULL;
  req->segments = split_path (path, &req->n_segments);
  req->dialect = srv->dialect;
  return req;
}

void
epsimo_ts_request_free (EpsimoTsRequest *req)
{
  if (req == NULL)
    return;

  g_clear_object (&req->msg);
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_strfreev (req->segments);
  g_clear_pointer (&req->body, json_node_unref);
  g_free (req);
}

const char *
epsimo_ts_request_query (EpsimoTsRequest *req,
                         const char      *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

/* Shared paths answer in the live shape unless the server is reference-only. */
gboolean
epsimo_ts_request_is_live (EpsimoTsRequest *req)
{
  return (req->dialect & EPSIMO_TS_DIALECT_LIVE) != 0;
}

void
epsimo_ts_request_error (EpsimoTsRequest *req,
                         guint            status,
                         const char      *detail,
                         const char      *field,
                         const char      *code)
{
  epsimo_ts_http_respond_error (req->msg, status, detail, field, code);
}

void
epsimo_ts_request_not_found (EpsimoTsRequest *req,
                             const char      *what)
{
  g_autofree char *detail = g_strdup_printf ("%s not found", what);

  epsimo_ts_http_respond_error (req->msg, 404, detail, NULL, NULL);
}

JsonObject *
epsimo_ts_request_body (EpsimoTsRequest *req)
{
  SoupMessageBody *body;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize len = 0;

  if (req->body != NULL)
    return json_node_get_object (req->body);

  body = soup_server_message_get_request_body (req->msg);
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);

  /* No body at all reads as {}: the member checks then name what is missing. */
  {
    gboolean blank = TRUE;

    for (gsize i = 0; i < len && blank; i++)
      blank = g_ascii_isspace (data[i]);
    if (blank)
      {
        req->body = epsimo_ts_node_new_object (json_object_new ());
        return json_node_get_object (req->body);
      }
  }

  req->body = epsimo_ts_json_parse (data, len, &error);
  if (req->body == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("Malformed JSON body: %s", error->message);

      epsimo_ts_request_error (req, 400, detail, NULL, NULL);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (req->body))
    {
      g_clear_pointer (&req->body, json_node_unref);
      epsimo_ts_request_error (req, 400, "The request body must be a JSON object", NULL, NULL);
      return NULL;
    }

  return json_node_get_object (req->body);
}

static void
invalid (EpsimoTsRequest *req,
         const char      *member,
         const char      *format)
{
  g_autofree char *detail = g_strdup_printf (format, member);

  epsimo_ts_request_error (req, 422, detail, member, NULL);
}

/* null counts as absent for optional members. */
static JsonNode *
member_node (JsonObject *obj,
             const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
epsimo_ts_request_string (EpsimoTsRequest *req,
                          JsonObject      *obj,
                          const char      *member,
                          gboolean         required,
                          const char     **out)
{
  JsonNode *node = member_node (obj, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        {
          invalid (req, member, "Field '%s' is required");
          return FALSE;
        }
      return TRUE;
    }

  if (!epsimo_ts_node_is_string (node))
    {
      invalid (req, member, "Field '%s' must be a string");
      return FALSE;
    }

  *out = json_node_get_string (node);
  if (required)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (*out));

      if (trimmed[0] == '\0')
        {
          invalid (req, member, "Field '%s' must not be empty");
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
epsimo_ts_request_int (EpsimoTsRequest *req,
                       JsonObject      *obj,
                       const char      *member,
                       gboolean         required,
                       gint64          *out,
                       gboolean        *present)
{
  JsonNode *node = member_node (obj, member);

  if (present != NULL)
    *present = FALSE;
  if (node == NULL)
    {
      if (required)
        {
          invalid (req, member, "Field '%s' is required");
          return FALSE;
        }
      return TRUE;
    }

  if (!epsimo_ts_node_get_int (node, out))
    {
      invalid (req, member, "Field '%s' must be an integer");
      return FALSE;
    }

  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
epsimo_ts_request_bool (EpsimoTsRequest *req,
                        JsonObject      *obj,
                        const char      *member,
                        gboolean        *out,
                        gboolean        *present)
{
  JsonNode *node = member_node (obj, member);

  if (present != NULL)
    *present = FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      invalid (req, member, "Field '%s' must be true or false");
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
epsimo_ts_request_object (EpsimoTsRequest *req,
                          JsonObject      *obj,
                          const char      *member,
                          gboolean         required,
                          JsonObject     **out)
{
  JsonNode *node = member_node (obj, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        {
          invalid (req, member, "Field '%s' is required");
          return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (req, member, "Field '%s' must be an object");
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

EpsimoTsProject *
epsimo_ts_request_own_project (EpsimoTsRequest *req,
                               const char      *project_id)
{
  EpsimoTsProject *project = epsimo_ts_store_find_project (req->srv->store, project_id);

  /* Another user's project is indistinguishable from a missing one. */
  if (project == NULL || project->owner != req->user)
    {
      epsimo_ts_request_not_found (req, "Project");
      return NULL;
    }

  return project;
}

static gboolean
check_project (EpsimoTsRequest *req,
               EpsimoTsProject *project)
{
  if (project != req->project)
    {
      epsimo_ts_request_error (req, 403,
                               "This resource belongs to another project: "
                               "use that project's token",
                               NULL, "WRONG_PROJECT");
      return FALSE;
    }
  return TRUE;
}

EpsimoTsAssistant *
epsimo_ts_request_assistant (EpsimoTsRequest *req,
                             const char      *assistant_id)
{
  EpsimoTsAssistant *assistant = epsimo_ts_store_find_assistant (req->srv->store, assistant_id);

  if (assistant == NULL)
    {
      epsimo_ts_request_not_found (req, "Assistant");
      return NULL;
    }
  return check_project (req, assistant->project) ? assistant : NULL;
}

EpsimoTsThread *
epsimo_ts_request_thread (EpsimoTsRequest *req,
                          const char      *thread_id)
{
  EpsimoTsThread *thread = epsimo_ts_store_find_thread (req->srv->store, thread_id);

  if (thread == NULL)
    {
      epsimo_ts_request_not_found (req, "Thread");
      return NULL;
    }
  return check_project (req, thread->project) ? thread : NULL;
}

EpsimoTsFile *
epsimo_ts_request_file (EpsimoTsRequest *req,
                        const char      *file_id)
{
  EpsimoTsFile *file = epsimo_ts_store_find_file (req->srv->store, file_id);

  if (file == NULL)
    {
      epsimo_ts_request_not_found (req, "File");
      return NULL;
    }
  return check_project (req, file->project) ? file : NULL;
}
