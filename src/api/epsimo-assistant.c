/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-assistant.h"
#include "epsimo-json.h"

#define LIVE_AGENT_TYPE    "type==agent/agent_type"
#define LIVE_MODEL         "type==agent/model"
#define LIVE_INSTRUCTIONS  "type==agent/system_message"
#define LIVE_TOOLS         "type==agent/tools"

struct _EpsimoAssistant
{
  GObject      parent_instance;

  char        *id;
  char        *name;
  char        *model;
  char        *instructions;
  gboolean     public_;
  GDateTime   *created_at;
  GListStore  *tools;
  JsonObject  *metadata;
  GStrv        tags;

  /* Members of `config` and `configurable` we do not model, written back so
   * that saving never drops what another client configured. */
  JsonObject  *extra_config;
  JsonObject  *extra_configurable;
};

G_DEFINE_FINAL_TYPE (EpsimoAssistant, epsimo_assistant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MODEL,
  PROP_INSTRUCTIONS,
  PROP_PUBLIC,
  PROP_CREATED_AT,
  PROP_TOOLS,
  PROP_METADATA,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const config_members[] = {
  "configurable", "instructions", "model", "tools",
};
static const char * const configurable_members[] = {
  "type", "agent_type", "instructions", "model", "tools",
  LIVE_AGENT_TYPE, LIVE_MODEL, LIVE_INSTRUCTIONS, LIVE_TOOLS,
};

static void
epsimo_assistant_finalize (GObject *object)
{
  EpsimoAssistant *self = (EpsimoAssistant *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->instructions, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->extra_config, json_object_unref);
  g_clear_pointer (&self->extra_configurable, json_object_unref);

  G_OBJECT_CLASS (epsimo_assistant_parent_class)->finalize (object);
}

static void
epsimo_assistant_dispose (GObject *object)
{
  EpsimoAssistant *self = (EpsimoAssistant *)object;

  g_clear_object (&self->tools);

  G_OBJECT_CLASS (epsimo_assistant_parent_class)->dispose (object);
}

static void
epsimo_assistant_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EpsimoAssistant *self = EPSIMO_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_INSTRUCTIONS:
      g_value_set_string (value, self->instructions);
      break;

    case PROP_PUBLIC:
      g_value_set_boolean (value, self->public_);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_TOOLS:
      g_value_set_object (value, self->tools);
      break;

    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_assistant_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EpsimoAssistant *self = EPSIMO_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      epsimo_assistant_set_name (self, g_value_get_string (value));
      break;

    case PROP_MODEL:
      epsimo_assistant_set_model (self, g_value_get_string (value));
      break;

    case PROP_INSTRUCTIONS:
      epsimo_assistant_set_instructions (self, g_value_get_string (value));
      break;

    case PROP_PUBLIC:
      epsimo_assistant_set_public (self, g_value_get_boolean (value));
      break;

    case PROP_METADATA:
      epsimo_assistant_set_metadata (self, g_value_get_boxed (value));
      break;

    case PROP_TAGS:
      epsimo_assistant_set_tags (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_assistant_class_init (EpsimoAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_assistant_dispose;
  object_class->finalize = epsimo_assistant_finalize;
  object_class->get_property = epsimo_assistant_get_property;
  object_class->set_property = epsimo_assistant_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         EPSIMO_ASSISTANT_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INSTRUCTIONS] =
    g_param_spec_string ("instructions", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PUBLIC] =
    g_param_spec_boolean ("public", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOOLS] =
    g_param_spec_object ("tools", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_METADATA] =
    g_param_spec_boxed ("metadata", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_assistant_init (EpsimoAssistant *self)
{
  self->model = g_strdup (EPSIMO_ASSISTANT_DEFAULT_MODEL);
  self->tools = g_list_store_new (EPSIMO_TYPE_TOOL);
  self->tags = g_new0 (char *, 1);
}

/**
 * epsimo_assistant_new:
 * @name: the assistant's name
 *
 * Returns: (transfer full): an assistant that is not yet on the server
 */
EpsimoAssistant *
epsimo_assistant_new (const char *name)
{
  EpsimoAssistant *self = g_object_new (EPSIMO_TYPE_ASSISTANT, NULL);

  self->name = g_strdup (name);

  return self;
}

static gboolean
is_one_of (const char         *name,
           const char * const *names,
           gsize               n_names)
{
  for (gsize i = 0; i < n_names; i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

static JsonObject *
copy_unknown_members (JsonObject         *object,
                      const char * const *known,
                      gsize               n_known)
{
  JsonObject *copy = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return NULL;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (is_one_of (name, known, n_known))
        continue;

      if (copy == NULL)
        copy = json_object_new ();
      json_object_set_member (copy, name, epsimo_json_node_copy (node));
    }

  return copy;
}

/* The live key wins: it is what the live backend acts on. */
static const char *
get_config_string (JsonObject *config,
                   JsonObject *configurable,
                   const char *live_member,
                   const char *member)
{
  const char *value;

  if ((value = epsimo_json_get_string (configurable, live_member)) != NULL)
    return value;
  if ((value = epsimo_json_get_string (config, member)) != NULL)
    return value;
  return epsimo_json_get_string (configurable, member);
}

static GStrv
read_tags (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = array ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

/**
 * epsimo_assistant_new_from_json:
 * @object: an assistant in either dialect's shape
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the assistant, or %NULL on error
 */
EpsimoAssistant *
epsimo_assistant_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(EpsimoAssistant) self = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autofree char *id = NULL;
  JsonObject *config;
  JsonObject *configurable;
  JsonArray *tools_array;
  const char *name;
  const char *model;
  const char *agent_type;
  gboolean public_ = FALSE;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = epsimo_json_require_id (object, "assistant_id", _("assistant"), error);
  if (id == NULL)
    return NULL;

  name = epsimo_json_require_string (object, "name", _("assistant"), error);
  if (name == NULL)
    return NULL;

  config = epsimo_json_get_object (object, "config");
  configurable = epsimo_json_get_object (config, "configurable");

  tools_array = epsimo_json_get_array (configurable, LIVE_TOOLS);
  if (tools_array == NULL)
    tools_array = epsimo_json_get_array (config, "tools");
  if (tools_array == NULL)
    tools_array = epsimo_json_get_array (configurable, "tools");

  tools = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; tools_array != NULL && i < json_array_get_length (tools_array); i++)
    {
      JsonNode *node = json_array_get_element (tools_array, i);
      EpsimoTool *tool;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("Unexpected reply from the server: a tool of the "
                                 "assistant is not an object"));
          return NULL;
        }

      tool = epsimo_tool_new_from_json (json_node_get_object (node), error);
      if (tool == NULL)
        return NULL;
      g_ptr_array_add (tools, tool);
    }

  self = g_object_new (EPSIMO_TYPE_ASSISTANT, NULL);
  self->id = g_steal_pointer (&id);
  self->name = g_strdup (name);
  self->instructions = g_strdup (get_config_string (config, configurable,
                                                    LIVE_INSTRUCTIONS, "instructions"));

  model = get_config_string (config, configurable, LIVE_MODEL, "model");
  agent_type = epsimo_json_get_string (configurable, LIVE_AGENT_TYPE);
  if (model != NULL && *model != '\0')
    epsimo_json_replace_string (&self->model, model);
  else if (agent_type != NULL && g_ascii_strncasecmp (agent_type, "gpt", 3) == 0)
    {
      /* Older live assistants name the model only in the agent type ("GPT-4O"). */
      g_free (self->model);
      self->model = g_ascii_strdown (agent_type, -1);
    }

  if (epsimo_json_get_bool (object, "public", &public_))
    self->public_ = public_;
  self->created_at = epsimo_json_get_date_time (object, "created_at");
  self->metadata = epsimo_json_object_copy (epsimo_json_get_object (object, "metadata"));
  g_strfreev (self->tags);
  self->tags = read_tags (epsimo_json_get_array (object, "tags"));
  self->extra_config = copy_unknown_members (config, config_members,
                                             G_N_ELEMENTS (config_members));
  self->extra_configurable = copy_unknown_members (configurable, configurable_members,
                                                   G_N_ELEMENTS (configurable_members));

  g_list_store_splice (self->tools, 0, 0, tools->pdata, tools->len);

  return g_steal_pointer (&self);
}

static void
replace_tools (EpsimoAssistant *self,
               GListModel      *tools)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (tools);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (tools, i));

  /* One splice: a bound list view rebuilds once. */
  g_list_store_splice (self->tools, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tools)),
                       items->pdata, items->len);
}

/**
 * epsimo_assistant_update_from_json:
 * @self: an assistant
 * @object: the same assistant from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Refreshes @self so that bound views follow; emits notify only for what
 * changed. The tools are replaced by the server's.
 *
 * Returns: %TRUE on success
 */
gboolean
epsimo_assistant_update_from_json (EpsimoAssistant  *self,
                                   JsonObject       *object,
                                   GError          **error)
{
  g_autoptr(EpsimoAssistant) other = NULL;

  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), FALSE);

  other = epsimo_assistant_new_from_json (object, error);
  if (other == NULL)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  if (epsimo_json_replace_string (&self->id, other->id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  epsimo_assistant_set_name (self, other->name);
  epsimo_assistant_set_model (self, other->model);
  epsimo_assistant_set_instructions (self, other->instructions);
  epsimo_assistant_set_public (self, other->public_);
  if (epsimo_json_replace_date_time (&self->created_at, other->created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
  epsimo_assistant_set_metadata (self, other->metadata);
  epsimo_assistant_set_tags (self, (const char * const *) other->tags);
  epsimo_json_replace_object (&self->extra_config, other->extra_config);
  epsimo_json_replace_object (&self->extra_configurable, other->extra_configurable);
  replace_tools (self, G_LIST_MODEL (other->tools));

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static void
merge_members (JsonObject *into,
               JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (from == NULL)
    return;

  json_object_iter_init_ordered (&iter, from);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    if (!json_object_has_member (into, name))
      json_object_set_member (into, name, epsimo_json_node_copy (node));
}

static JsonArray *
tools_to_json (EpsimoAssistant *self,
               EpsimoDialect    dialect)
{
  JsonArray *array = json_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tools));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoTool) tool = g_list_model_get_item (G_LIST_MODEL (self->tools), i);

      json_array_add_element (array, epsimo_tool_to_json (tool, dialect));
    }

  return array;
}

/**
 * epsimo_assistant_to_json:
 * @self: an assistant
 * @dialect: the server's dialect
 *
 * Returns: (transfer full): the body of POST and PUT /assistants/ in @dialect's shape
 */
JsonNode *
epsimo_assistant_to_json (EpsimoAssistant *self,
                          EpsimoDialect    dialect)
{
  g_autoptr(JsonObject) object = NULL;
  JsonObject *config;
  JsonObject *configurable;
  const char *instructions;
  const char *model;

  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  instructions = self->instructions ? self->instructions : "";
  model = self->model && *self->model ? self->model : EPSIMO_ASSISTANT_DEFAULT_MODEL;

  object = json_object_new ();
  config = json_object_new ();
  configurable = json_object_new ();

  json_object_set_string_member (object, "name", self->name ? self->name : "");

  json_object_set_string_member (configurable, "type", "agent");
  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      json_object_set_string_member (configurable, LIVE_AGENT_TYPE, "GPT-4O");
      json_object_set_string_member (configurable, LIVE_MODEL, model);
      json_object_set_string_member (configurable, LIVE_INSTRUCTIONS, instructions);
      json_object_set_array_member (configurable, LIVE_TOOLS, tools_to_json (self, dialect));
    }
  else
    {
      json_object_set_string_member (configurable, "agent_type", "agent");
      json_object_set_string_member (config, "instructions", instructions);
      json_object_set_string_member (config, "model", model);
    }
  merge_members (configurable, self->extra_configurable);
  json_object_set_object_member (config, "configurable", configurable);

  if (dialect != EPSIMO_DIALECT_LIVE)
    json_object_set_array_member (config, "tools", tools_to_json (self, dialect));
  merge_members (config, self->extra_config);

  json_object_set_object_member (object, "config", config);
  json_object_set_boolean_member (object, "public", self->public_);

  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      JsonArray *tags = json_array_new ();

      json_object_set_object_member (object, "metadata",
                                     self->metadata ? epsimo_json_object_copy (self->metadata)
                                                    : json_object_new ());
      for (guint i = 0; self->tags[i] != NULL; i++)
        json_array_add_string_element (tags, self->tags[i]);
      json_object_set_array_member (object, "tags", tags);
    }

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * epsimo_assistant_copy:
 * @self: an assistant
 *
 * Returns: (transfer full): a deep copy of @self, tools included
 */
EpsimoAssistant *
epsimo_assistant_copy (EpsimoAssistant *self)
{
  EpsimoAssistant *copy;
  guint n;

  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  copy = g_object_new (EPSIMO_TYPE_ASSISTANT, NULL);
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  epsimo_json_replace_string (&copy->model, self->model);
  copy->instructions = g_strdup (self->instructions);
  copy->public_ = self->public_;
  copy->created_at = self->created_at ? g_date_time_ref (self->created_at) : NULL;
  copy->metadata = epsimo_json_object_copy (self->metadata);
  g_strfreev (copy->tags);
  copy->tags = g_strdupv (self->tags);
  copy->extra_config = epsimo_json_object_copy (self->extra_config);
  copy->extra_configurable = epsimo_json_object_copy (self->extra_configurable);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoTool) tool = g_list_model_get_item (G_LIST_MODEL (self->tools), i);
      g_autoptr(EpsimoTool) tool_copy = epsimo_tool_copy (tool);

      g_list_store_append (copy->tools, tool_copy);
    }

  return copy;
}

const char *
epsimo_assistant_get_id (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->id;
}

const char *
epsimo_assistant_get_name (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->name;
}

void
epsimo_assistant_set_name (EpsimoAssistant *self,
                           const char      *name)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  if (epsimo_json_replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
epsimo_assistant_get_model (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->model;
}

void
epsimo_assistant_set_model (EpsimoAssistant *self,
                            const char      *model)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  if (model == NULL || *model == '\0')
    model = EPSIMO_ASSISTANT_DEFAULT_MODEL;

  if (epsimo_json_replace_string (&self->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
epsimo_assistant_get_instructions (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->instructions;
}

void
epsimo_assistant_set_instructions (EpsimoAssistant *self,
                                   const char      *instructions)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  if (epsimo_json_replace_string (&self->instructions, instructions))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTIONS]);
}

gboolean
epsimo_assistant_get_public (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), FALSE);

  return self->public_;
}

void
epsimo_assistant_set_public (EpsimoAssistant *self,
                             gboolean         public_)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  public_ = !!public_;
  if (self->public_ != public_)
    {
      self->public_ = public_;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLIC]);
    }
}

GDateTime *
epsimo_assistant_get_created_at (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->created_at;
}

GListModel *
epsimo_assistant_get_tools (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return G_LIST_MODEL (self->tools);
}

void
epsimo_assistant_add_tool (EpsimoAssistant *self,
                           EpsimoTool      *tool)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));
  g_return_if_fail (EPSIMO_IS_TOOL (tool));

  g_list_store_append (self->tools, tool);
}

void
epsimo_assistant_remove_tool (EpsimoAssistant *self,
                              guint            position)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->tools)));

  g_list_store_remove (self->tools, position);
}

void
epsimo_assistant_set_tools (EpsimoAssistant *self,
                            GListModel      *tools)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));
  g_return_if_fail (G_IS_LIST_MODEL (tools));
  g_return_if_fail (g_type_is_a (g_list_model_get_item_type (tools), EPSIMO_TYPE_TOOL));

  if (tools == G_LIST_MODEL (self->tools))
    return;

  replace_tools (self, tools);
}

JsonObject *
epsimo_assistant_get_metadata (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return self->metadata;
}

void
epsimo_assistant_set_metadata (EpsimoAssistant *self,
                               JsonObject      *metadata)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  if (epsimo_json_replace_object (&self->metadata, metadata))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}

const char * const *
epsimo_assistant_get_tags (EpsimoAssistant *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT (self), NULL);

  return (const char * const *) self->tags;
}

void
epsimo_assistant_set_tags (EpsimoAssistant    *self,
                           const char * const *tags)
{
  static const char * const no_tags[] = { NULL };

  g_return_if_fail (EPSIMO_IS_ASSISTANT (self));

  if (tags == NULL)
    tags = no_tags;

  if (g_strv_equal ((const char * const *) self->tags, tags))
    return;

  g_strfreev (self->tags);
  self->tags = g_strdupv ((char **) tags);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}
