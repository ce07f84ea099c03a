/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-faults.h"
#include "epsimo-ts-http.h"
#include "epsimo-ts-util.h"

#define HUGE_CHUNK (64 * 1024)

struct _EpsimoTsFaults
{
  GPtrArray *rules;
  guint      global_delay_ms;
  gint64     cut_after;
  guint64    next_reply_bytes;
  guint64    next_reply_pieces;
  GPtrArray *stalled;
};

EpsimoTsFault *
epsimo_ts_fault_new (EpsimoTsFaultKind  kind,
                     const char        *method,
                     const char        *path,
                     gint64             count)
{
  EpsimoTsFault *fault = g_new0 (EpsimoTsFault, 1);

  fault->kind = kind;
  fault->method = method && *method ? g_ascii_strup (method, -1) : NULL;
  fault->path = g_strdup (path);
  fault->count = count;
  return fault;
}

void
epsimo_ts_fault_free (EpsimoTsFault *fault)
{
  g_free (fault->method);
  g_free (fault->path);
  g_free (fault->body);
  g_free (fault);
}

static EpsimoTsFault *
fault_copy (const EpsimoTsFault *fault)
{
  EpsimoTsFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->method = g_strdup (fault->method);
  copy->path = g_strdup (fault->path);
  copy->body = g_strdup (fault->body);
  return copy;
}

EpsimoTsFaults *
epsimo_ts_faults_new (void)
{
  EpsimoTsFaults *faults = g_new0 (EpsimoTsFaults, 1);

  faults->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_ts_fault_free);
  faults->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  faults->cut_after = -1;
  return faults;
}

void
epsimo_ts_faults_free (EpsimoTsFaults *faults)
{
  if (faults == NULL)
    return;
  g_ptr_array_unref (faults->rules);
  g_ptr_array_unref (faults->stalled);
  g_free (faults);
}

void
epsimo_ts_faults_add (EpsimoTsFaults *faults,
                      EpsimoTsFault  *fault)
{
  g_ptr_array_add (faults->rules, fault);
}

/* METHOD:PATH:STATUS:COUNT; PATH may itself hold colons. */
gboolean
epsimo_ts_faults_add_from_spec (EpsimoTsFaults  *faults,
                                const char      *spec,
                                GError         **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", -1);
  guint n = g_strv_length (parts);
  g_autofree char *path = NULL;
  guint64 status = 0;
  gint64 count = 0;
  EpsimoTsFault *fault;

  if (n < 4 ||
      !g_ascii_string_to_unsigned (parts[n - 2], 10, 100, 599, &status, NULL) ||
      !g_ascii_string_to_signed (parts[n - 1], 10, 1, G_MAXINT32, &count, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--fail wants METHOD:PATH:STATUS:COUNT, got “%s”", spec);
      return FALSE;
    }

  {
    GString *joined = g_string_new (parts[1]);

    for (guint i = 2; i < n - 2; i++)
      g_string_append_printf (joined, ":%s", parts[i]);
    path = g_string_free (joined, FALSE);
  }

  fault = epsimo_ts_fault_new (EPSIMO_TS_FAULT_FAIL,
                               g_str_equal (parts[0], "*") ? NULL : parts[0],
                               path, count);
  fault->status = (guint) status;
  epsimo_ts_faults_add (faults, fault);
  return TRUE;
}

void
epsimo_ts_faults_set_global_delay (EpsimoTsFaults *faults,
                                   guint           ms)
{
  faults->global_delay_ms = ms;
}

void
epsimo_ts_faults_reset (EpsimoTsFaults *faults)
{
  g_ptr_array_set_size (faults->rules, 0);
  faults->global_delay_ms = 0;
  faults->cut_after = -1;
  faults->next_reply_bytes = 0;
  faults->next_reply_pieces = 0;
  epsimo_ts_faults_release_stalled (faults);
}

static gboolean
path_matches (const char *pattern,
              const char *path)
{
  gsize len;

  if (pattern == NULL || pattern[0] == '\0')
    return TRUE;

  len = strlen (pattern);
  if (pattern[len - 1] == '*')
    return strncmp (pattern, path, len - 1) == 0;

  return g_str_equal (pattern, path);
}

static gboolean
rule_matches (EpsimoTsFault    *rule,
              EpsimoTsFaultKind kind,
              const char       *method,
              const char       *path)
{
  return rule->kind == kind &&
         (rule->method == NULL || g_ascii_strcasecmp (rule->method, method) == 0) &&
         path_matches (rule->path, path);
}

/* Consumes one use of the first matching rule; a copy the caller frees. */
EpsimoTsFault *
epsimo_ts_faults_take (EpsimoTsFaults   *faults,
                       EpsimoTsFaultKind kind,
                       const char       *method,
                       const char       *path)
{
  for (guint i = 0; i < faults->rules->len; i++)
    {
      EpsimoTsFault *rule = g_ptr_array_index (faults->rules, i);
      EpsimoTsFault *copy;

      if (!rule_matches (rule, kind, method, path))
        continue;

      copy = fault_copy (rule);
      if (rule->count > 0 && --rule->count == 0)
        g_ptr_array_remove_index (faults->rules, i);
      return copy;
    }

  return NULL;
}

guint
epsimo_ts_faults_take_delay (EpsimoTsFaults *faults,
                             const char     *method,
                             const char     *path)
{
  g_autoptr(EpsimoTsFault) rule = epsimo_ts_faults_take (faults, EPSIMO_TS_FAULT_DELAY,
                                                         method, path);

  return faults->global_delay_ms + (rule ? rule->ms : 0);
}

JsonArray *
epsimo_ts_faults_to_json (EpsimoTsFaults *faults)
{
  static const char *kinds[] = { "fail", "delay", "malformed", "stall", "huge" };
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < faults->rules->len; i++)
    {
      EpsimoTsFault *rule = g_ptr_array_index (faults->rules, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "kind", kinds[rule->kind]);
      if (rule->method)
        json_object_set_string_member (obj, "method", rule->method);
      json_object_set_string_member (obj, "path", rule->path ? rule->path : "*");
      json_object_set_int_member (obj, "count", rule->count);
      if (rule->status)
        json_object_set_int_member (obj, "status", rule->status);
      if (rule->ms)
        json_object_set_int_member (obj, "ms", rule->ms);
      if (rule->bytes)
        json_object_set_int_member (obj, "bytes", (gint64) rule->bytes);
      json_array_add_object_element (array, obj);
    }

  return array;
}

void
epsimo_ts_faults_arm_cut (EpsimoTsFaults *faults,
                          gint64          after_events)
{
  faults->cut_after = after_events;
}

gint64
epsimo_ts_faults_take_cut (EpsimoTsFaults *faults)
{
  gint64 after = faults->cut_after;

  faults->cut_after = -1;
  return after;
}

void
epsimo_ts_faults_arm_next_reply (EpsimoTsFaults *faults,
                                 guint64         bytes,
                                 guint64         pieces)
{
  faults->next_reply_bytes = bytes;
  faults->next_reply_pieces = pieces;
}

gboolean
epsimo_ts_faults_take_next_reply (EpsimoTsFaults *faults,
                                  guint64        *bytes,
                                  guint64        *pieces)
{
  if (faults->next_reply_bytes == 0)
    return FALSE;

  *bytes = faults->next_reply_bytes;
  *pieces = faults->next_reply_pieces;
  faults->next_reply_bytes = 0;
  faults->next_reply_pieces = 0;
  return TRUE;
}

/* ---- responders ---- */

void
epsimo_ts_faults_respond_fail (EpsimoTsFault     *fault,
                               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (fault->status == 429 || fault->status == 503)
    soup_message_headers_replace (headers, "Retry-After", "1");

  if (fault->body != NULL)
    {
      g_autoptr(JsonNode) parsed = epsimo_ts_json_parse (fault->body, -1, NULL);

      epsimo_ts_http_respond_raw (msg, fault->status,
                                  parsed ? "application/json" : "text/plain",
                                  fault->body, strlen (fault->body));
      return;
    }

  epsimo_ts_http_respond_error (msg, fault->status, "Injected failure", NULL, "INJECTED");
}

void
epsimo_ts_faults_respond_malformed (SoupServerMessage *msg)
{
  static const char body[] = "{\"broken\": ";

  epsimo_ts_http_respond_raw (msg, 200, "application/json", body, strlen (body));
}

void
epsimo_ts_faults_hold (EpsimoTsFaults    *faults,
                       SoupServerMessage *msg)
{
  soup_server_message_pause (msg);
  g_ptr_array_add (faults->stalled, g_object_ref (msg));
}

/* Answers every held request with 503 so that nothing waits forever. */
guint
epsimo_ts_faults_release_stalled (EpsimoTsFaults *faults)
{
  g_autoptr(GPtrArray) stalled = faults->stalled;
  guint released = 0;

  faults->stalled = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < stalled->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (stalled, i);

      if (!epsimo_ts_http_is_alive (msg))
        continue;

      epsimo_ts_http_respond_error (msg, 503, "Stalled request released", NULL, "STALL_RELEASED");
      epsimo_ts_http_unpause (msg);
      released++;
    }

  return released;
}

typedef struct
{
  guint64 total;
  guint64 appended;
} Huge;

static void
huge_append_next (SoupServerMessage *msg,
                  Huge              *huge)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static const char prefix[] = "{\"data\":\"";
  static const char suffix[] = "\"}";
  const guint64 prefix_len = sizeof prefix - 1;
  const guint64 suffix_len = sizeof suffix - 1;
  guint64 len = MIN (HUGE_CHUNK, huge->total - huge->appended);
  char *chunk;

  if (len == 0)
    return;

  chunk = g_malloc (len);
  if (huge->total < prefix_len + suffix_len)
    {
      /* Too small for the padded object: {} and spaces. */
      memset (chunk, ' ', len);
      if (huge->appended == 0)
        memcpy (chunk, "{}", MIN (len, 2));
    }
  else
    {
      for (guint64 i = 0; i < len; i++)
        {
          guint64 pos = huge->appended + i;

          if (pos < prefix_len)
            chunk[i] = prefix[pos];
          else if (pos >= huge->total - suffix_len)
            chunk[i] = suffix[pos - (huge->total - suffix_len)];
          else
            chunk[i] = 'x';
        }
    }

  huge->appended += len;
  soup_message_body_append_take (body, (guchar *) chunk, len);
  if (huge->appended == huge->total)
    soup_message_body_complete (body);
}

/* One chunk is in flight at a time: the body is never built whole. */
static void
huge_wrote_chunk (SoupServerMessage *msg,
                  Huge              *huge)
{
  huge_append_next (msg, huge);
}

void
epsimo_ts_faults_respond_huge (SoupServerMessage *msg,
                               guint64            bytes)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  Huge *huge = g_new0 (Huge, 1);

  huge->total = MAX (bytes, 2);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_content_length (headers, (goffset) huge->total);
  soup_message_body_set_accumulate (body, FALSE);

  g_object_set_data_full (G_OBJECT (msg), "epsimo-ts-huge", huge, g_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_wrote_chunk), huge);
  huge_append_next (msg, huge);
}
