/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tool"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-tool.h"

struct _EpsimoTool
{
  GObject             parent_instance;

  char               *id;
  char               *type;
  char               *name;
  char               *description;
  int                 max_results;
  int                 top_k;
  double              score_threshold;
  JsonObject         *parameters;

  /* Settings the server sent (written back even when the type does not
   * usually take them), and members we do not model, kept so that saving an
   * assistant never drops what another client configured. */
  EpsimoToolSettings  present;
  JsonObject         *extra;         /* top level of a live tool */
  JsonObject         *extra_config;  /* settings: `config` (live) or flat (reference) */
};

G_DEFINE_FINAL_TYPE (EpsimoTool, epsimo_tool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TOOL_TYPE,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_MAX_RESULTS,
  PROP_TOP_K,
  PROP_SCORE_THRESHOLD,
  PROP_PARAMETERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Members with a meaning of their own in either shape. */
static const char * const top_level_members[] = {
  "id", "type", "name", "description", "config",
};
static const char * const setting_members[] = {
  "max_results", "top_k", "score_threshold", "parameters",
};

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

/**
 * epsimo_tool_type_get_settings:
 * @type: (nullable): a tool type
 *
 * Returns: the settings a tool of @type takes
 */
EpsimoToolSettings
epsimo_tool_type_get_settings (const char *type)
{
  static const char * const searches[] = {
    "search_tavily", "search_tavily_answer", "ddg_search",
  };

  if (type == NULL)
    return EPSIMO_TOOL_SETTING_NONE;

  if (g_str_equal (type, "retrieval"))
    return EPSIMO_TOOL_SETTING_TOP_K | EPSIMO_TOOL_SETTING_SCORE_THRESHOLD;

  if (g_str_equal (type, "function"))
    return EPSIMO_TOOL_SETTING_PARAMETERS;

  if (is_one_of (type, searches, G_N_ELEMENTS (searches))
      || g_str_has_prefix (type, "search_")
      || g_str_has_suffix (type, "_search"))
    return EPSIMO_TOOL_SETTING_MAX_RESULTS;

  return EPSIMO_TOOL_SETTING_NONE;
}

static void
epsimo_tool_finalize (GObject *object)
{
  EpsimoTool *self = (EpsimoTool *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->parameters, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->extra_config, json_object_unref);

  G_OBJECT_CLASS (epsimo_tool_parent_class)->finalize (object);
}

static void
epsimo_tool_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EpsimoTool *self = EPSIMO_TOOL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TOOL_TYPE:
      g_value_set_string (value, self->type);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_MAX_RESULTS:
      g_value_set_int (value, self->max_results);
      break;

    case PROP_TOP_K:
      g_value_set_int (value, self->top_k);
      break;

    case PROP_SCORE_THRESHOLD:
      g_value_set_double (value, self->score_threshold);
      break;

    case PROP_PARAMETERS:
      g_value_set_boxed (value, self->parameters);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_tool_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EpsimoTool *self = EPSIMO_TOOL (object);

  switch (prop_id)
    {
    case PROP_ID:
      epsimo_tool_set_id (self, g_value_get_string (value));
      break;

    case PROP_TOOL_TYPE:
      epsimo_tool_set_tool_type (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      epsimo_tool_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      epsimo_tool_set_description (self, g_value_get_string (value));
      break;

    case PROP_MAX_RESULTS:
      epsimo_tool_set_max_results (self, g_value_get_int (value));
      break;

    case PROP_TOP_K:
      epsimo_tool_set_top_k (self, g_value_get_int (value));
      break;

    case PROP_SCORE_THRESHOLD:
      epsimo_tool_set_score_threshold (self, g_value_get_double (value));
      break;

    case PROP_PARAMETERS:
      epsimo_tool_set_parameters (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_tool_class_init (EpsimoToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_tool_finalize;
  object_class->get_property = epsimo_tool_get_property;
  object_class->set_property = epsimo_tool_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Not "type": epsimo_tool_get_type() is the GType function. */
  properties[PROP_TOOL_TYPE] =
    g_param_spec_string ("tool-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_RESULTS] =
    g_param_spec_int ("max-results", NULL, NULL,
                      0, G_MAXINT, EPSIMO_TOOL_DEFAULT_MAX_RESULTS,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOP_K] =
    g_param_spec_int ("top-k", NULL, NULL,
                      0, G_MAXINT, EPSIMO_TOOL_DEFAULT_TOP_K,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SCORE_THRESHOLD] =
    g_param_spec_double ("score-threshold", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, EPSIMO_TOOL_DEFAULT_SCORE_THRESHOLD,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PARAMETERS] =
    g_param_spec_boxed ("parameters", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_tool_init (EpsimoTool *self)
{
  self->max_results = EPSIMO_TOOL_DEFAULT_MAX_RESULTS;
  self->top_k = EPSIMO_TOOL_DEFAULT_TOP_K;
  self->score_threshold = EPSIMO_TOOL_DEFAULT_SCORE_THRESHOLD;
}

/**
 * epsimo_tool_new:
 * @type: the tool type, e.g. "search_tavily", "retrieval" or "function"
 *
 * Known types get the name and description the SDK gives them.
 *
 * Returns: (transfer full): a new tool with default settings
 */
EpsimoTool *
epsimo_tool_new (const char *type)
{
  EpsimoTool *self;

  g_return_val_if_fail (type != NULL && *type != '\0', NULL);

  self = g_object_new (EPSIMO_TYPE_TOOL, NULL);
  self->type = g_strdup (type);

  /* These go to the server and the model, so they are not translated. */
  if (g_str_equal (type, "retrieval"))
    {
      self->name = g_strdup ("Retrieval");
      self->description = g_strdup ("Look up information in uploaded files.");
    }
  else if (g_str_equal (type, "search_tavily"))
    {
      self->name = g_strdup ("Search (Tavily)");
      self->description =
        g_strdup ("Uses the Tavily search engine. Includes sources in the response.");
    }
  else if (g_str_equal (type, "function"))
    {
      JsonObject *schema = json_object_new ();

      json_object_set_string_member (schema, "type", "object");
      json_object_set_object_member (schema, "properties", json_object_new ());
      self->parameters = schema;
    }

  return self;
}

static JsonObject *
schema_property (const char *type)
{
  JsonObject *property = json_object_new ();

  json_object_set_string_member (property, "type", type);
  return property;
}

static JsonArray *
string_array (const char * const *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);

  return array;
}

static EpsimoTool *
new_function (const char *name,
              const char *description,
              JsonObject *properties_,
              JsonArray  *required)
{
  EpsimoTool *self = epsimo_tool_new ("function");
  JsonObject *schema = json_object_new ();

  json_object_set_string_member (schema, "type", "object");
  json_object_set_object_member (schema, "properties", properties_);
  json_object_set_array_member (schema, "required", required);

  g_clear_pointer (&self->parameters, json_object_unref);
  self->parameters = schema;
  self->name = g_strdup (name);
  self->description = g_strdup (description);

  return self;
}

/**
 * epsimo_tool_new_update_database:
 *
 * Returns: (transfer full): the SDK's `update_database` function, with which
 *   the agent writes a key of the thread's virtual database
 */
EpsimoTool *
epsimo_tool_new_update_database (void)
{
  static const char * const required[] = { "key", "value", NULL };
  JsonObject *props = json_object_new ();
  JsonObject *key = schema_property ("string");
  JsonObject *value = schema_property ("object");

  json_object_set_string_member (key, "description",
                                 "The data category (e.g. 'user_info', 'preferences')");
  json_object_set_string_member (value, "description", "The JSON data to store");
  json_object_set_object_member (props, "key", key);
  json_object_set_object_member (props, "value", value);

  return new_function ("update_database",
                       "Persist structured JSON data to the conversation state "
                       "for long-term memory.",
                       props, string_array (required));
}

/**
 * epsimo_tool_new_manage_task:
 *
 * Returns: (transfer full): the SDK's `manage_task` function
 */
EpsimoTool *
epsimo_tool_new_manage_task (void)
{
  static const char * const actions[] = { "create", "update", "delete", "list", NULL };
  static const char * const required[] = { "action", "details", NULL };
  JsonObject *props = json_object_new ();
  JsonObject *action = schema_property ("string");

  json_object_set_array_member (action, "enum", string_array (actions));
  json_object_set_object_member (props, "action", action);
  json_object_set_object_member (props, "details", schema_property ("object"));

  return new_function ("manage_task", "Track and update user tasks.",
                       props, string_array (required));
}

/* Reads the settings from @settings, falling back to @fallback (a live tool
 * whose settings were written flat by another client). */
static void
read_settings (EpsimoTool *self,
               JsonObject *settings,
               JsonObject *fallback)
{
  JsonObject *sources[] = { settings, fallback };

  for (guint i = G_N_ELEMENTS (sources); i-- > 0;)
    {
      JsonObject *source = sources[i];
      JsonObject *parameters;
      gint64 number;
      double real;

      if (source == NULL)
        continue;

      /* Out-of-range and wrong-typed settings are ignored: they are optional. */
      if (epsimo_json_get_int (source, "max_results", &number)
          && number >= 0 && number <= G_MAXINT)
        {
          self->max_results = (int) number;
          self->present |= EPSIMO_TOOL_SETTING_MAX_RESULTS;
        }
      if (epsimo_json_get_int (source, "top_k", &number) && number >= 0 && number <= G_MAXINT)
        {
          self->top_k = (int) number;
          self->present |= EPSIMO_TOOL_SETTING_TOP_K;
        }
      if (epsimo_json_get_double (source, "score_threshold", &real))
        {
          self->score_threshold = real;
          self->present |= EPSIMO_TOOL_SETTING_SCORE_THRESHOLD;
        }
      if ((parameters = epsimo_json_get_object (source, "parameters")) != NULL)
        {
          g_clear_pointer (&self->parameters, json_object_unref);
          self->parameters = epsimo_json_object_copy (parameters);
          self->present |= EPSIMO_TOOL_SETTING_PARAMETERS;
        }
    }
}

static JsonObject *
copy_unknown_members (JsonObject         *object,
                      const char * const *known,
                      gsize               n_known,
                      const char * const *also_known,
                      gsize               n_also_known)
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
      if (is_one_of (name, known, n_known) || is_one_of (name, also_known, n_also_known))
        continue;

      if (copy == NULL)
        copy = json_object_new ();
      json_object_set_member (copy, name, epsimo_json_node_copy (node));
    }

  return copy;
}

/**
 * epsimo_tool_new_from_json:
 * @object: a tool in either dialect's shape
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the tool, or %NULL on error
 */
EpsimoTool *
epsimo_tool_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(EpsimoTool) self = NULL;
  JsonObject *config;
  const char *type;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  type = epsimo_json_require_string (object, "type", _("tool"), error);
  if (type == NULL)
    return NULL;
  if (*type == '\0')
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("Unexpected reply from the server: a tool has an empty type"));
      return NULL;
    }

  self = g_object_new (EPSIMO_TYPE_TOOL, NULL);
  self->type = g_strdup (type);
  self->id = g_strdup (epsimo_json_get_string (object, "id"));
  self->name = g_strdup (epsimo_json_get_string (object, "name"));
  self->description = g_strdup (epsimo_json_get_string (object, "description"));

  config = epsimo_json_get_object (object, "config");
  if (config != NULL)
    {
      read_settings (self, config, object);
      self->extra = copy_unknown_members (object,
                                          top_level_members, G_N_ELEMENTS (top_level_members),
                                          setting_members, G_N_ELEMENTS (setting_members));
      self->extra_config = copy_unknown_members (config,
                                                 setting_members, G_N_ELEMENTS (setting_members),
                                                 NULL, 0);
    }
  else
    {
      read_settings (self, object, NULL);
      self->extra_config = copy_unknown_members (object,
                                                 top_level_members,
                                                 G_N_ELEMENTS (top_level_members),
                                                 setting_members, G_N_ELEMENTS (setting_members));
    }

  return g_steal_pointer (&self);
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

static void
write_settings (EpsimoTool *self,
                JsonObject *into)
{
  EpsimoToolSettings settings = epsimo_tool_type_get_settings (self->type) | self->present;

  if (settings & EPSIMO_TOOL_SETTING_MAX_RESULTS)
    json_object_set_int_member (into, "max_results", self->max_results);
  if (settings & EPSIMO_TOOL_SETTING_TOP_K)
    json_object_set_int_member (into, "top_k", self->top_k);
  if (settings & EPSIMO_TOOL_SETTING_SCORE_THRESHOLD)
    json_object_set_double_member (into, "score_threshold", self->score_threshold);
  if ((settings & EPSIMO_TOOL_SETTING_PARAMETERS) && self->parameters != NULL)
    json_object_set_object_member (into, "parameters",
                                   epsimo_json_object_copy (self->parameters));
}

/**
 * epsimo_tool_to_json:
 * @self: a tool
 * @dialect: the server's dialect
 *
 * Returns: (transfer full): the tool in @dialect's shape
 */
JsonNode *
epsimo_tool_to_json (EpsimoTool    *self,
                     EpsimoDialect  dialect)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);
  g_return_val_if_fail (self->type != NULL, NULL);

  object = json_object_new ();

  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      JsonObject *config = json_object_new ();

      /* The live backend finds tools by id; the SDK makes "<type>-<8 hex>". */
      if (self->id == NULL || *self->id == '\0')
        {
          g_autofree char *id = g_strdup_printf ("%s-%08x", self->type, g_random_int ());

          epsimo_tool_set_id (self, id);
        }

      json_object_set_string_member (object, "id", self->id);
      json_object_set_string_member (object, "name",
                                     self->name && *self->name ? self->name : self->type);
      json_object_set_string_member (object, "type", self->type);
      json_object_set_string_member (object, "description",
                                     self->description ? self->description : "");
      write_settings (self, config);
      merge_members (config, self->extra_config);
      json_object_set_object_member (object, "config", config);
      merge_members (object, self->extra);
    }
  else
    {
      json_object_set_string_member (object, "type", self->type);
      if (self->id != NULL)
        json_object_set_string_member (object, "id", self->id);
      if (self->name != NULL)
        json_object_set_string_member (object, "name", self->name);
      if (self->description != NULL)
        json_object_set_string_member (object, "description", self->description);
      write_settings (self, object);
      merge_members (object, self->extra_config);
      merge_members (object, self->extra);
    }

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * epsimo_tool_copy:
 * @self: a tool
 *
 * Returns: (transfer full): a deep copy of @self
 */
EpsimoTool *
epsimo_tool_copy (EpsimoTool *self)
{
  EpsimoTool *copy;

  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  copy = g_object_new (EPSIMO_TYPE_TOOL, NULL);
  copy->id = g_strdup (self->id);
  copy->type = g_strdup (self->type);
  copy->name = g_strdup (self->name);
  copy->description = g_strdup (self->description);
  copy->max_results = self->max_results;
  copy->top_k = self->top_k;
  copy->score_threshold = self->score_threshold;
  copy->parameters = epsimo_json_object_copy (self->parameters);
  copy->present = self->present;
  copy->extra = epsimo_json_object_copy (self->extra);
  copy->extra_config = epsimo_json_object_copy (self->extra_config);

  return copy;
}

const char *
epsimo_tool_get_id (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  return self->id;
}

void
epsimo_tool_set_id (EpsimoTool *self,
                    const char *id)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));

  if (epsimo_json_replace_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
epsimo_tool_get_tool_type (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  return self->type;
}

void
epsimo_tool_set_tool_type (EpsimoTool *self,
                           const char *type)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));
  g_return_if_fail (type != NULL && *type != '\0');

  if (epsimo_json_replace_string (&self->type, type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_TYPE]);
}

const char *
epsimo_tool_get_name (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  return self->name;
}

void
epsimo_tool_set_name (EpsimoTool *self,
                      const char *name)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));

  if (epsimo_json_replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
epsimo_tool_get_description (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  return self->description;
}

void
epsimo_tool_set_description (EpsimoTool *self,
                             const char *description)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));

  if (epsimo_json_replace_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

int
epsimo_tool_get_max_results (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), 0);

  return self->max_results;
}

void
epsimo_tool_set_max_results (EpsimoTool *self,
                             int         max_results)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));
  g_return_if_fail (max_results >= 0);

  self->present |= EPSIMO_TOOL_SETTING_MAX_RESULTS;
  if (self->max_results != max_results)
    {
      self->max_results = max_results;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RESULTS]);
    }
}

int
epsimo_tool_get_top_k (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), 0);

  return self->top_k;
}

void
epsimo_tool_set_top_k (EpsimoTool *self,
                       int         top_k)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));
  g_return_if_fail (top_k >= 0);

  self->present |= EPSIMO_TOOL_SETTING_TOP_K;
  if (self->top_k != top_k)
    {
      self->top_k = top_k;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOP_K]);
    }
}

double
epsimo_tool_get_score_threshold (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), 0.0);

  return self->score_threshold;
}

void
epsimo_tool_set_score_threshold (EpsimoTool *self,
                                 double      score_threshold)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));

  self->present |= EPSIMO_TOOL_SETTING_SCORE_THRESHOLD;
  if (self->score_threshold != score_threshold)
    {
      self->score_threshold = score_threshold;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE_THRESHOLD]);
    }
}

JsonObject *
epsimo_tool_get_parameters (EpsimoTool *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL (self), NULL);

  return self->parameters;
}

void
epsimo_tool_set_parameters (EpsimoTool *self,
                            JsonObject *parameters)
{
  g_return_if_fail (EPSIMO_IS_TOOL (self));

  if (epsimo_json_replace_object (&self->parameters, parameters))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMETERS]);
}
