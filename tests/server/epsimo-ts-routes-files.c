/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"
#include "epsimo-ts-uploads.h"

/* The parsed upload, or NULL after answering 400. */
static EpsimoTsMultipart *
finished_upload (EpsimoTsRequest *req)
{
  EpsimoTsMultipart *mp = epsimo_ts_uploads_get (req->msg);

  if (mp == NULL)
    {
      epsimo_ts_request_error (req, 400, "Expected a multipart/form-data body with a boundary",
                               NULL, NULL);
      return NULL;
    }
  if (!epsimo_ts_multipart_is_complete (mp))
    {
      g_autofree char *detail = g_strdup_printf ("Malformed multipart body: %s",
                                                 epsimo_ts_multipart_get_error (mp));

      epsimo_ts_request_error (req, 400, detail, NULL, NULL);
      return NULL;
    }

  return mp;
}

static JsonArray *
render_files (EpsimoTsProject *project,
              const char      *assistant_id)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < project->files->len; i++)
    {
      EpsimoTsFile *file = g_ptr_array_index (project->files, i);

      if (assistant_id == NULL || g_strcmp0 (file->assistant_id, assistant_id) == 0)
        json_array_add_object_element (array, epsimo_ts_render_file (file));
    }

  return array;
}

static EpsimoTsFile *
store_part (EpsimoTsRequest *req,
            EpsimoTsPart    *part,
            const char      *assistant_id,
            const char      *purpose)
{
  return epsimo_ts_store_add_file (req->srv->store, req->project, assistant_id,
                                   part->filename[0] ? part->filename : "upload",
                                   part->size, part->content_type, purpose, part->sha256);
}

void
epsimo_ts_route_files_list (EpsimoTsRequest *req)
{
  epsimo_ts_http_respond_array (req->msg, 200, render_files (req->project, NULL));
}

void
epsimo_ts_route_files_upload (EpsimoTsRequest *req)
{
  EpsimoTsMultipart *mp = finished_upload (req);
  EpsimoTsPart *file_part = NULL;
  const char *purpose;
  GPtrArray *parts;

  if (mp == NULL)
    return;

  parts = epsimo_ts_multipart_get_parts (mp);
  for (guint i = 0; i < parts->len && file_part == NULL; i++)
    {
      EpsimoTsPart *part = g_ptr_array_index (parts, i);

      if (part->filename != NULL && g_strcmp0 (part->field, "file") == 0)
        file_part = part;
    }
  if (file_part == NULL)
    {
      epsimo_ts_request_error (req, 422, "Field 'file' is required", "file", NULL);
      return;
    }

  purpose = epsimo_ts_multipart_get_field (mp, "purpose");
  if (purpose == NULL || purpose[0] == '\0')
    purpose = "assistants";
  if (!g_str_equal (purpose, "assistants") && !g_str_equal (purpose, "retrieval"))
    {
      epsimo_ts_request_error (req, 422, "'purpose' must be assistants or retrieval",
                               "purpose", NULL);
      return;
    }

  epsimo_ts_http_respond_object (req->msg, 201,
                                 epsimo_ts_render_file (store_part (req, file_part, NULL,
                                                                    purpose)));
}

void
epsimo_ts_route_file_get (EpsimoTsRequest *req)
{
  EpsimoTsFile *file = epsimo_ts_request_file (req, req->params[0]);

  if (file != NULL)
    epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_file (file));
}

void
epsimo_ts_route_file_delete (EpsimoTsRequest *req)
{
  EpsimoTsFile *file = epsimo_ts_request_file (req, req->params[0]);

  if (file == NULL)
    return;

  epsimo_ts_store_remove_file (req->srv->store, file);
  epsimo_ts_http_respond_empty (req->msg, 204);
}

void
epsimo_ts_route_assistant_files_list (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);
  JsonObject *obj;

  if (assistant == NULL)
    return;

  obj = json_object_new ();
  json_object_set_array_member (obj, "files",
                                render_files (req->project, assistant->assistant_id));
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_assistant_files_upload (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);
  EpsimoTsMultipart *mp;
  JsonArray *array;
  JsonObject *obj;
  GPtrArray *parts;

  if (assistant == NULL || (mp = finished_upload (req)) == NULL)
    return;

  parts = epsimo_ts_multipart_get_parts (mp);
  array = json_array_new ();
  for (guint i = 0; i < parts->len; i++)
    {
      EpsimoTsPart *part = g_ptr_array_index (parts, i);

      if (part->filename == NULL ||
          (g_strcmp0 (part->field, "files") != 0 && g_strcmp0 (part->field, "file") != 0))
        continue;
      json_array_add_object_element (array,
                                     epsimo_ts_render_file (store_part (req, part,
                                                                        assistant->assistant_id,
                                                                        "retrieval")));
    }

  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      epsimo_ts_request_error (req, 422, "Field 'files' is required", "files", NULL);
      return;
    }

  obj = json_object_new ();
  json_object_set_array_member (obj, "files", array);
  epsimo_ts_http_respond_object (req->msg, 201, obj);
}

void
epsimo_ts_route_assistant_file_delete (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);
  EpsimoTsFile *file;

  if (assistant == NULL || (file = epsimo_ts_request_file (req, req->params[1])) == NULL)
    return;

  if (g_strcmp0 (file->assistant_id, assistant->assistant_id) != 0)
    {
      epsimo_ts_request_not_found (req, "File");
      return;
    }

  epsimo_ts_store_remove_file (req->srv->store, file);
  epsimo_ts_http_respond_empty (req->msg, 204);
}
