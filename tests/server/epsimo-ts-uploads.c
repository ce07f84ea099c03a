/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-uploads.h"

#define PARSER_KEY "epsimo-ts-multipart"

static gboolean
is_upload_path (const char *path)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_equal (path, "/files") || g_str_equal (path, "/files/"))
    return TRUE;

  /* /assistants/{id}/files[/] */
  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  if (n > 0 && parts[n - 1][0] == '\0')
    n--;
  return n == 4 && parts[0][0] == '\0' && g_str_equal (parts[1], "assistants") &&
         parts[2][0] != '\0' && g_str_equal (parts[3], "files");
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              EpsimoTsMultipart *mp)
{
  gsize len = 0;
  const guchar *data = g_bytes_get_data (chunk, &len);

  /* After an error the rest is read and dropped; the handler answers 400. */
  epsimo_ts_multipart_feed (mp, data, len);
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *content_type;
  const char *boundary;
  EpsimoTsMultipart *mp;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      uri == NULL || !is_upload_path (g_uri_get_path (uri)))
    return;

  content_type = soup_message_headers_get_content_type (headers, &params);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "multipart/form-data") != 0 ||
      params == NULL)
    return;

  boundary = g_hash_table_lookup (params, "boundary");
  if (boundary == NULL || boundary[0] == '\0' || strlen (boundary) > 200)
    return;

  /* Without this libsoup would keep the whole upload in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  mp = epsimo_ts_multipart_new (boundary);
  g_object_set_data_full (G_OBJECT (msg), PARSER_KEY, mp,
                          (GDestroyNotify) epsimo_ts_multipart_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), mp);
}

void
epsimo_ts_uploads_watch (SoupServerMessage *msg)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), NULL);
}

EpsimoTsMultipart *
epsimo_ts_uploads_get (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), PARSER_KEY);
}
