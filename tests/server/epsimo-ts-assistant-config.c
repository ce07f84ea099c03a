/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-assistant-config.h"
#include "epsimo-ts-util.h"

#define LIVE_PREFIX "type==agent/"

static const EpsimoTsToolInfo catalogue[] = {
  { "search_tavily", "Search (Tavily)",
    "Uses the Tavily search engine to find answers on the web." },
  { "search_tavily_answer", "Search (short answer, Tavily)",
    "Uses Tavily to get a short, direct answer to a question." },
  { "ddg_search", "DuckDuckGo Search", "Searches the web with DuckDuckGo." },
  { "arxiv", "Arxiv", "Searches scientific papers on arxiv.org." },
  { "pubmed", "PubMed", "Searches biomedical literature on PubMed." },
  { "wikipedia", "Wikipedia", "Looks up articles on Wikipedia." },
  { "retrieval", "Retrieval", "Looks up information in the files uploaded to the assistant." },
  { "dall_e", "Generate Image (Dall-E)", "Generates images from a text description." },
  { "function", "Function", "A function the assistant can call, described by a JSON Schema." },
};

const EpsimoTsToolInfo *
epsimo_ts_tool_catalogue (guint *n_tools)
{
  *n_tools = G_N_ELEMENTS (catalogue);
  return catalogue;
}

const EpsimoTsToolInfo *
epsimo_ts_tool_catalogue_lookup (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (g_strcmp0 (catalogue[i].type, type) == 0)
      return &catalogue[i];
  return NULL;
}

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

static gboolean
fail (char      **field,
      char      **detail,
      const char *field_name,
      const char *message)
{
  *field = g_strdup (field_name);
  *detail = g_strdup (message);
  return FALSE;
}

static void
copy_members_except (JsonObject  *dest,
                     JsonObject  *src,
                     const char **skip)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, src);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (skip != NULL && g_strv_contains (skip, name))
        continue;
      json_object_set_member (dest, name, json_node_copy (node));
    }
}

/* Reads one tool from either shape; NULL and an error when invalid. */
static EpsimoTsTool *
parse_tool (JsonNode  *node,
            gboolean   live,
            char     **field,
            char     **detail)
{
  static const char *skip[] = { "id", "type", "name", "description", "config", NULL };
  g_autoptr(GString) message = NULL;
  EpsimoTsTool *tool;
  JsonObject *obj;
  JsonNode *member;
  const char *type;
  const char *name;
  const char *description;
  const char *id;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (field, detail, "config.tools", "Every tool must be an object");
      return NULL;
    }

  obj = json_node_get_object (node);
  type = epsimo_ts_object_get_string (obj, "type");
  if (type == NULL)
    {
      fail (field, detail, "config.tools", "Every tool needs a string 'type'");
      return NULL;
    }
  if (epsimo_ts_tool_catalogue_lookup (type) == NULL)
    {
      message = g_string_new (NULL);
      g_string_printf (message, "Unknown tool type '%s'", type);
      fail (field, detail, "config.tools", message->str);
      return NULL;
    }

  for (guint i = 0; i < 3; i++)
    {
      static const char *strings[] = { "id", "name", "description" };

      member = json_object_get_member (obj, strings[i]);
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member) && !epsimo_ts_node_is_string (member))
        {
          message = g_string_new (NULL);
          g_string_printf (message, "Tool member '%s' must be a string", strings[i]);
          fail (field, detail, "config.tools", message->str);
          return NULL;
        }
    }

  id = epsimo_ts_object_get_string (obj, "id");
  name = epsimo_ts_object_get_string (obj, "name");
  description = epsimo_ts_object_get_string (obj, "description");
  if (g_str_equal (type, "function") && (name == NULL || name[0] == '\0'))
    {
      fail (field, detail, "config.tools", "A function tool needs a 'name'");
      return NULL;
    }

  member = json_object_get_member (obj, "config");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) && !JSON_NODE_HOLDS_OBJECT (member))
    {
      fail (field, detail, "config.tools", "A tool's 'config' must be an object");
      return NULL;
    }

  tool = epsimo_ts_tool_new (type);
  tool->name = g_strdup (name);
  tool->description = g_strdup (description);
  if (id != NULL && id[0] != '\0')
    tool->id = g_strdup (id);
  else
    {
      g_autofree char *hex = epsimo_ts_random_hex (4);

      tool->id = g_strdup_printf ("%s-%s", type, hex);
    }

  /* Settings live in "config" in the live shape and beside "type" in the
   * flat one; read both places in either shape. */
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    copy_members_except (tool->settings, json_node_get_object (member), NULL);
  copy_members_except (tool->settings, obj, skip);
  (void) live;

  return tool;
}

static gboolean
parse_tools (EpsimoTsAssistant *assistant,
             JsonNode          *node,
             gboolean           live,
             char             **field,
             char             **detail)
{
  g_autoptr(GPtrArray) tools = NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_ptr_array_set_size (assistant->tools, 0);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (field, detail, "config.tools", "'tools' must be an array");

  tools = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_ts_tool_free);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      EpsimoTsTool *tool = parse_tool (json_array_get_element (array, i), live, field, detail);

      if (tool == NULL)
        return FALSE;
      g_ptr_array_add (tools, tool);
    }

  g_ptr_array_set_size (assistant->tools, 0);
  for (guint i = 0; i < tools->len; i++)
    g_ptr_array_add (assistant->tools, g_steal_pointer (&tools->pdata[i]));
  g_ptr_array_set_free_func (tools, NULL);
  return TRUE;
}

static gboolean
optional_string (JsonObject  *obj,
                 const char  *member,
                 const char  *field_name,
                 const char **out,
                 char       **field,
                 char       **detail)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!epsimo_ts_node_is_string (node))
    {
      g_autofree char *message = g_strdup_printf ("'%s' must be a string", member);

      return fail (field, detail, field_name, message);
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
is_live_shape (JsonObject *configurable)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (configurable == NULL)
    return FALSE;

  json_object_iter_init_ordered (&iter, configurable);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    if (g_str_has_prefix (name, LIVE_PREFIX))
      return TRUE;
  return FALSE;
}

/* Members present in @config replace the stored ones; absent ones stay. */
gboolean
epsimo_ts_assistant_config_apply (EpsimoTsAssistant *assistant,
                                  JsonObject        *config,
                                  char             **field,
                                  char             **detail)
{
  JsonNode *configurable_node = json_object_get_member (config, "configurable");
  JsonObject *configurable = NULL;
  const char *instructions = NULL;
  const char *model = NULL;
  const char *agent_type = NULL;
  JsonNode *tools = NULL;
  gboolean have_tools;
  gboolean live;

  *field = NULL;
  *detail = NULL;

  if (configurable_node != NULL && !JSON_NODE_HOLDS_NULL (configurable_node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (configurable_node))
        return fail (field, detail, "config.configurable", "'configurable' must be an object");
      configurable = json_node_get_object (configurable_node);
    }

  live = is_live_shape (configurable);
  if (live)
    {
      if (!optional_string (configurable, LIVE_PREFIX "system_message", "config.configurable",
                            &instructions, field, detail) ||
          !optional_string (configurable, LIVE_PREFIX "model", "config.configurable",
                            &model, field, detail) ||
          !optional_string (configurable, LIVE_PREFIX "agent_type", "config.configurable",
                            &agent_type, field, detail))
        return FALSE;
      have_tools = json_object_has_member (configurable, LIVE_PREFIX "tools");
      tools = json_object_get_member (configurable, LIVE_PREFIX "tools");
    }
  else
    {
      if (!optional_string (config, "instructions", "config.instructions",
                            &instructions, field, detail) ||
          !optional_string (config, "model", "config.model", &model, field, detail))
        return FALSE;
      have_tools = json_object_has_member (config, "tools");
      tools = json_object_get_member (config, "tools");
    }

  if (have_tools && !parse_tools (assistant, tools, live, field, detail))
    return FALSE;

  if (instructions != NULL)
    replace_str (&assistant->instructions, instructions);
  if (model != NULL && model[0] != '\0')
    replace_str (&assistant->model, model);
  if (agent_type != NULL && agent_type[0] != '\0')
    replace_str (&assistant->agent_type, agent_type);

  return TRUE;
}

static JsonObject *
render_tool (EpsimoTsTool *tool,
             gboolean      live)
{
  const EpsimoTsToolInfo *info = epsimo_ts_tool_catalogue_lookup (tool->type);
  JsonObject *obj = json_object_new ();

  if (live)
    {
      JsonObject *config = json_object_new ();

      json_object_set_string_member (obj, "id", tool->id);
      json_object_set_string_member (obj, "name",
                                     tool->name ? tool->name : info ? info->name : tool->type);
      json_object_set_string_member (obj, "type", tool->type);
      json_object_set_string_member (obj, "description",
                                     tool->description ? tool->description :
                                     info ? info->description : "");
      copy_members_except (config, tool->settings, NULL);
      json_object_set_object_member (obj, "config", config);
    }
  else
    {
      json_object_set_string_member (obj, "type", tool->type);
      if (tool->name != NULL)
        json_object_set_string_member (obj, "name", tool->name);
      if (tool->description != NULL)
        json_object_set_string_member (obj, "description", tool->description);
      copy_members_except (obj, tool->settings, NULL);
    }

  return obj;
}

JsonObject *
epsimo_ts_assistant_config_render (EpsimoTsAssistant *assistant,
                                   gboolean           live)
{
  JsonObject *config = json_object_new ();
  JsonObject *configurable = json_object_new ();
  JsonArray *tools = json_array_new ();

  for (guint i = 0; i < assistant->tools->len; i++)
    json_array_add_object_element (tools, render_tool (g_ptr_array_index (assistant->tools, i),
                                                       live));

  json_object_set_string_member (configurable, "type", "agent");
  if (live)
    {
      g_autofree char *derived = g_ascii_strup (assistant->model, -1);

      json_object_set_string_member (configurable, LIVE_PREFIX "agent_type",
                                     assistant->agent_type ? assistant->agent_type : derived);
      json_object_set_string_member (configurable, LIVE_PREFIX "model", assistant->model);
      json_object_set_string_member (configurable, LIVE_PREFIX "system_message",
                                     assistant->instructions);
      json_object_set_array_member (configurable, LIVE_PREFIX "tools", tools);
      json_object_set_object_member (config, "configurable", configurable);
    }
  else
    {
      json_object_set_string_member (configurable, "agent_type", "agent");
      json_object_set_string_member (config, "instructions", assistant->instructions);
      json_object_set_string_member (config, "model", assistant->model);
      json_object_set_object_member (config, "configurable", configurable);
      json_object_set_array_member (config, "tools", tools);
    }

  return config;
}
