/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-script.h"
#include "epsimo-ts-util.h"

#define MIN_PIECE 3
#define MAX_PIECE 12

static const char filler[] =
  "The quick brown fox jumps over the lazy dog. "
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
  "Pack my box with five dozen liquor jugs.\n";

struct _EpsimoTsScript
{
  GPtrArray *steps;

  /* Either a whole text cut into random 3-12 byte pieces... */
  char      *text;
  gsize      text_len;
  GRand     *rand;

  /* ...or a synthetic text of a given size, made piece by piece. */
  guint64    synthetic_bytes;
  guint64    synthetic_pieces;
  guint64    piece_index;

  guint64    offset;
};

static void
step_free (EpsimoTsStep *step)
{
  g_free (step->call_id);
  g_free (step->tool_name);
  g_clear_pointer (&step->args, json_object_unref);
  g_free (step->result);
  g_free (step->db_key);
  g_clear_pointer (&step->db_value, json_node_unref);
  g_free (step);
}

static EpsimoTsScript *
script_new (void)
{
  EpsimoTsScript *script = g_new0 (EpsimoTsScript, 1);

  script->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  return script;
}

void
epsimo_ts_script_free (EpsimoTsScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->steps);
  g_free (script->text);
  g_clear_pointer (&script->rand, g_rand_free);
  g_free (script);
}

guint
epsimo_ts_script_get_n_steps (EpsimoTsScript *script)
{
  return script->steps->len;
}

EpsimoTsStep *
epsimo_ts_script_get_step (EpsimoTsScript *script,
                           guint           index)
{
  return index < script->steps->len ? g_ptr_array_index (script->steps, index) : NULL;
}

/* The same text always streams in the same pieces: failures reproduce. */
static void
set_text (EpsimoTsScript *script,
          char           *text)
{
  script->text = text;
  script->text_len = strlen (text);
  script->rand = g_rand_new_with_seed (g_str_hash (text));
}

static void
add_tool_call (EpsimoTsScript *script,
               const char     *tool_name,
               JsonObject     *args,
               char           *result,
               const char     *db_key,
               JsonNode       *db_value)
{
  g_autofree char *hex = epsimo_ts_random_hex (6);
  EpsimoTsStep *call = g_new0 (EpsimoTsStep, 1);
  EpsimoTsStep *answer = g_new0 (EpsimoTsStep, 1);

  call->kind = EPSIMO_TS_STEP_TOOL_CALL;
  call->call_id = g_strconcat ("call_", hex, NULL);
  call->tool_name = g_strdup (tool_name);
  call->args = args;

  answer->kind = EPSIMO_TS_STEP_TOOL_RESULT;
  answer->call_id = g_strdup (call->call_id);
  answer->tool_name = g_strdup (tool_name);
  answer->result = result;
  answer->db_key = g_strdup (db_key);
  answer->db_value = db_value;

  g_ptr_array_add (script->steps, call);
  g_ptr_array_add (script->steps, answer);
}

static char *
default_reply (const char *message)
{
  return g_strdup_printf (
    "## Echo\n"
    "\n"
    "You said: *%s*\n"
    "\n"
    "This reply comes from `epsimo-test-server`, a *scripted* assistant: no model "
    "is involved, so every answer has the same shape and can be checked in tests. "
    "It streams in small pieces, so a chunk boundary can fall anywhere.\n"
    "\n"
    "A second paragraph, with more *emphasis*, some `inline code` and enough words "
    "to wrap in a narrow window, so the transcript has to reflow it while it grows.\n"
    "\n"
    "- the echo of your message\n"
    "- a list item with `code`\n"
    "- a third item, plain\n"
    "\n"
    "```python\n"
    "def echo(message):\n"
    "    \"\"\"Return what the user said.\"\"\"\n"
    "    return message.strip()\n"
    "```\n"
    "\n"
    "Read more in the [Epsimo documentation](https://epsimoagents.com/docs).\n",
    message);
}

static gboolean
match_remember (const char  *message,
                char       **key,
                char       **value)
{
  g_autoptr(GRegex) regex = g_regex_new ("remember\\s+([^\\s=]+)\\s*=\\s*(.+?)\\s*$",
                                         G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  if (!g_regex_match (regex, message, 0, &info))
    return FALSE;

  *key = g_match_info_fetch (info, 1);
  *value = g_match_info_fetch (info, 2);
  return TRUE;
}

static void
script_remember (EpsimoTsScript *script,
                 const char     *key,
                 const char     *value_text)
{
  JsonNode *value = epsimo_ts_json_parse (value_text, -1, NULL);
  JsonObject *args = json_object_new ();
  JsonObject *answer = json_object_new ();
  g_autoptr(JsonNode) answer_node = NULL;
  char *result;

  /* Not JSON: the value is the text itself. */
  if (value == NULL)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, value_text);
    }

  json_object_set_string_member (args, "key", key);
  json_object_set_member (args, "value", json_node_copy (value));

  json_object_set_boolean_member (answer, "success", TRUE);
  json_object_set_string_member (answer, "key", key);
  json_object_set_member (answer, "value", json_node_copy (value));
  answer_node = epsimo_ts_node_new_object (answer);
  result = epsimo_ts_json_to_string (answer_node);

  add_tool_call (script, "update_database", args, result, key, value);
  set_text (script, g_strdup_printf ("Done. I saved **%s** in this thread's database, "
                                     "so I will remember it in later messages.\n", key));
}

static void
script_search (EpsimoTsScript *script,
               const char     *query)
{
  JsonObject *args = json_object_new ();
  char *result;

  json_object_set_string_member (args, "query", query);
  result = g_strdup_printf ("1. %s: an overview - https://example.test/search/1\n"
                            "2. %s explained in five minutes - "
                            "https://example.test/search/2\n"
                            "3. Frequently asked questions about %s - "
                            "https://example.test/search/3",
                            query, query, query);

  add_tool_call (script, "ddg_search", args, result, NULL, NULL);
  set_text (script,
            g_strdup_printf ("I searched the web for *%s* and found three results:\n"
                             "\n"
                             "1. [An overview](https://example.test/search/1)\n"
                             "2. [Explained in five minutes](https://example.test/search/2)\n"
                             "3. [Frequently asked questions](https://example.test/search/3)\n",
                             query));
}

EpsimoTsScript *
epsimo_ts_script_new_for_message (const char *message)
{
  EpsimoTsScript *script = script_new ();
  g_autofree char *trimmed = g_strstrip (g_strdup (message));
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (match_remember (trimmed, &key, &value))
    script_remember (script, key, value);
  else if (g_ascii_strncasecmp (trimmed, "search", 6) == 0)
    {
      g_autofree char *query = g_strdup (trimmed + 6);

      g_strstrip (query);
      if (query[0] == ':')
        {
          memmove (query, query + 1, strlen (query));
          g_strstrip (query);
        }
      script_search (script, query[0] ? query : trimmed);
    }
  else
    set_text (script, default_reply (trimmed));

  return script;
}

EpsimoTsScript *
epsimo_ts_script_new_synthetic (guint64 bytes,
                                guint64 pieces)
{
  EpsimoTsScript *script = script_new ();

  script->synthetic_bytes = bytes;
  script->synthetic_pieces = CLAMP (pieces, 1, MAX (bytes, 1));
  return script;
}

/* Appends the next piece to @piece (emptied first); FALSE when the text is over. */
gboolean
epsimo_ts_script_next_piece (EpsimoTsScript *script,
                             GString        *piece)
{
  g_string_truncate (piece, 0);

  if (script->text != NULL)
    {
      const char *start = script->text + script->offset;
      const char *end;
      gsize want;

      if (script->offset >= script->text_len)
        return FALSE;

      want = g_rand_int_range (script->rand, MIN_PIECE, MAX_PIECE + 1);
      if (script->offset + want >= script->text_len)
        end = script->text + script->text_len;
      else
        {
          /* Never split a UTF-8 character: a delta must be valid JSON text. */
          end = start + want;
          while (end > start && (((guchar) *end) & 0xC0) == 0x80)
            end--;
          if (end == start)
            end = g_utf8_next_char (start);
        }

      g_string_append_len (piece, start, end - start);
      script->offset = end - script->text;
      return TRUE;
    }

  if (script->piece_index >= script->synthetic_pieces)
    return FALSE;

  {
    guint64 base = script->synthetic_bytes / script->synthetic_pieces;
    guint64 extra = script->synthetic_bytes % script->synthetic_pieces;
    guint64 len = base + (script->piece_index < extra ? 1 : 0);
    const gsize filler_len = sizeof filler - 1;

    for (guint64 i = 0; i < len; i++)
      g_string_append_c (piece, filler[(script->offset + i) % filler_len]);

    script->offset += len;
    script->piece_index++;
  }

  return TRUE;
}
