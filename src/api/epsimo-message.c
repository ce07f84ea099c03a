/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-message"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-message.h"

GType
epsimo_message_role_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { EPSIMO_MESSAGE_ROLE_USER, "EPSIMO_MESSAGE_ROLE_USER", "user" },
        { EPSIMO_MESSAGE_ROLE_ASSISTANT, "EPSIMO_MESSAGE_ROLE_ASSISTANT", "assistant" },
        { EPSIMO_MESSAGE_ROLE_TOOL, "EPSIMO_MESSAGE_ROLE_TOOL", "tool" },
        { EPSIMO_MESSAGE_ROLE_SYSTEM, "EPSIMO_MESSAGE_ROLE_SYSTEM", "system" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("EpsimoMessageRole"),
                                           values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/**
 * epsimo_message_role_from_string:
 * @text: (nullable): a reference role or a live message type
 * @out_role: (out): the role
 *
 * Returns: %TRUE if @text names a role
 */
gboolean
epsimo_message_role_from_string (const char        *text,
                                 EpsimoMessageRole *out_role)
{
  static const struct {
    const char *name;
    EpsimoMessageRole role;
  } names[] = {
    { "user", EPSIMO_MESSAGE_ROLE_USER },
    { "human", EPSIMO_MESSAGE_ROLE_USER },
    { "HumanMessage", EPSIMO_MESSAGE_ROLE_USER },
    { "HumanMessageChunk", EPSIMO_MESSAGE_ROLE_USER },
    { "assistant", EPSIMO_MESSAGE_ROLE_ASSISTANT },
    { "ai", EPSIMO_MESSAGE_ROLE_ASSISTANT },
    { "AIMessage", EPSIMO_MESSAGE_ROLE_ASSISTANT },
    { "AIMessageChunk", EPSIMO_MESSAGE_ROLE_ASSISTANT },
    { "tool", EPSIMO_MESSAGE_ROLE_TOOL },
    { "function", EPSIMO_MESSAGE_ROLE_TOOL },
    { "ToolMessage", EPSIMO_MESSAGE_ROLE_TOOL },
    { "ToolMessageChunk", EPSIMO_MESSAGE_ROLE_TOOL },
    { "FunctionMessage", EPSIMO_MESSAGE_ROLE_TOOL },
    { "system", EPSIMO_MESSAGE_ROLE_SYSTEM },
    { "SystemMessage", EPSIMO_MESSAGE_ROLE_SYSTEM },
  };

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (text, names[i].name))
        {
          if (out_role != NULL)
            *out_role = names[i].role;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
epsimo_message_role_to_string (EpsimoMessageRole role)
{
  switch (role)
    {
    case EPSIMO_MESSAGE_ROLE_USER:
      return "user";
    case EPSIMO_MESSAGE_ROLE_ASSISTANT:
      return "assistant";
    case EPSIMO_MESSAGE_ROLE_TOOL:
      return "tool";
    case EPSIMO_MESSAGE_ROLE_SYSTEM:
      return "system";
    default:
      g_return_val_if_reached ("user");
    }
}

static const char *
role_to_live_type (EpsimoMessageRole role)
{
  switch (role)
    {
    case EPSIMO_MESSAGE_ROLE_USER:
      return "human";
    case EPSIMO_MESSAGE_ROLE_ASSISTANT:
      return "ai";
    case EPSIMO_MESSAGE_ROLE_TOOL:
      return "tool";
    case EPSIMO_MESSAGE_ROLE_SYSTEM:
      return "system";
    default:
      g_return_val_if_reached ("human");
    }
}

/* Thousands of these live in a transcript: plain fields, no signal handlers,
 * content kept in a GString so that streamed deltas append in place. */
struct _EpsimoMessage
{
  GObject            parent_instance;

  EpsimoMessageRole  role;
  char              *id;
  GString           *content;
  GDateTime         *timestamp;
  char              *tool_call_id;
  char              *name;
  JsonArray         *tool_calls;
};

G_DEFINE_FINAL_TYPE (EpsimoMessage, epsimo_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ROLE,
  PROP_CONTENT,
  PROP_TIMESTAMP,
  PROP_TOOL_CALL_ID,
  PROP_NAME,
  PROP_TOOL_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_message_finalize (GObject *object)
{
  EpsimoMessage *self = (EpsimoMessage *)object;

  g_clear_pointer (&self->id, g_free);
  g_string_free (self->content, TRUE);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->tool_call_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->tool_calls, json_array_unref);

  G_OBJECT_CLASS (epsimo_message_parent_class)->finalize (object);
}

static void
epsimo_message_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EpsimoMessage *self = EPSIMO_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_CONTENT:
      g_value_set_string (value, self->content->str);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_TOOL_CALL_ID:
      g_value_set_string (value, self->tool_call_id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TOOL_CALLS:
      g_value_set_boxed (value, self->tool_calls);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_message_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EpsimoMessage *self = EPSIMO_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      epsimo_message_set_id (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      /* Construct-only: set before anyone can watch it. */
      self->role = g_value_get_enum (value);
      break;

    case PROP_CONTENT:
      epsimo_message_set_content (self, g_value_get_string (value));
      break;

    case PROP_TIMESTAMP:
      epsimo_message_set_timestamp (self, g_value_get_boxed (value));
      break;

    case PROP_TOOL_CALLS:
      epsimo_message_set_tool_calls (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_message_class_init (EpsimoMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_message_finalize;
  object_class->get_property = epsimo_message_get_property;
  object_class->set_property = epsimo_message_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       EPSIMO_TYPE_MESSAGE_ROLE,
                       EPSIMO_MESSAGE_ROLE_USER,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOOL_CALL_ID] =
    g_param_spec_string ("tool-call-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOOL_CALLS] =
    g_param_spec_boxed ("tool-calls", NULL, NULL,
                        JSON_TYPE_ARRAY,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_message_init (EpsimoMessage *self)
{
  self->content = g_string_new (NULL);
}

/**
 * epsimo_message_new:
 * @role: who speaks
 * @content: (nullable): the text
 *
 * Returns: (transfer full): a new message
 */
EpsimoMessage *
epsimo_message_new (EpsimoMessageRole  role,
                    const char        *content)
{
  EpsimoMessage *self = g_object_new (EPSIMO_TYPE_MESSAGE, "role", role, NULL);

  if (content != NULL)
    g_string_assign (self->content, content);

  return self;
}

/* Live content may be a list of parts; only text parts are shown. */
static void
append_content_parts (GString   *content,
                      JsonArray *parts)
{
  guint n = json_array_get_length (parts);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (parts, i);

      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append (content, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *part = json_node_get_object (node);
          const char *type = epsimo_json_get_string (part, "type");
          const char *text = epsimo_json_get_string (part, "text");

          if ((type == NULL || g_str_equal (type, "text")) && text != NULL)
            g_string_append (content, text);
        }
    }
}

/**
 * epsimo_message_new_from_json:
 * @object: a message in either dialect's shape
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the message, or %NULL on error
 */
EpsimoMessage *
epsimo_message_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(EpsimoMessage) self = NULL;
  EpsimoMessageRole role;
  const char *role_text;
  const char *member = "role";
  const char *content;
  JsonArray *parts;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A live message carries "type"; "role" wins when both are there (a live
   * input item has role "user" and type "human": they agree). */
  role_text = epsimo_json_get_string (object, "role");
  if (role_text == NULL && json_object_has_member (object, "role")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "role")))
    {
      epsimo_json_require_string (object, "role", _("message"), error);
      return NULL;
    }
  if (role_text == NULL)
    {
      member = "type";
      role_text = epsimo_json_require_string (object, "type", _("message"), error);
      if (role_text == NULL)
        return NULL;
    }

  if (!epsimo_message_role_from_string (role_text, &role))
    {
      g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                   _("Unexpected reply from the server: unknown message %s “%s”"),
                   member, role_text);
      return NULL;
    }

  self = g_object_new (EPSIMO_TYPE_MESSAGE, "role", role, NULL);
  self->id = epsimo_json_dup_id (object, "message_id");

  /* Content is optional: an AI message that only calls tools has none. */
  if ((content = epsimo_json_get_string (object, "content")) != NULL)
    g_string_assign (self->content, content);
  else if ((parts = epsimo_json_get_array (object, "content")) != NULL)
    append_content_parts (self->content, parts);

  self->timestamp = epsimo_json_get_date_time (object, "timestamp");
  if (self->timestamp == NULL)
    self->timestamp = epsimo_json_get_date_time (object, "created_at");
  self->tool_call_id = g_strdup (epsimo_json_get_string (object, "tool_call_id"));
  self->name = g_strdup (epsimo_json_get_string (object, "name"));
  self->tool_calls = epsimo_json_array_copy (epsimo_json_get_array (object, "tool_calls"));

  return g_steal_pointer (&self);
}

/**
 * epsimo_message_to_json:
 * @self: a message
 * @dialect: the server's dialect
 *
 * Returns: (transfer full): {role, content} (reference) or {role, content,
 *   type} (live)
 */
JsonNode *
epsimo_message_to_json (EpsimoMessage *self,
                        EpsimoDialect  dialect)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "role", epsimo_message_role_to_string (self->role));
  json_object_set_string_member (object, "content", self->content->str);
  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      json_object_set_string_member (object, "type", role_to_live_type (self->role));
      if (self->tool_call_id != NULL)
        json_object_set_string_member (object, "tool_call_id", self->tool_call_id);
    }

  return json_node_init_object (json_node_alloc (), object);
}

const char *
epsimo_message_get_id (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  return self->id;
}

void
epsimo_message_set_id (EpsimoMessage *self,
                       const char    *id)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE (self));

  if (epsimo_json_replace_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

EpsimoMessageRole
epsimo_message_get_role (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), EPSIMO_MESSAGE_ROLE_USER);

  return self->role;
}

const char *
epsimo_message_get_content (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), "");

  return self->content->str;
}

void
epsimo_message_set_content (EpsimoMessage *self,
                            const char    *content)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE (self));

  if (content == NULL)
    content = "";

  if (g_str_equal (self->content->str, content))
    return;

  g_string_assign (self->content, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

void
epsimo_message_append_content (EpsimoMessage *self,
                               const char    *delta)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE (self));

  if (delta == NULL || *delta == '\0')
    return;

  g_string_append (self->content, delta);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

GDateTime *
epsimo_message_get_timestamp (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  return self->timestamp;
}

void
epsimo_message_set_timestamp (EpsimoMessage *self,
                              GDateTime     *timestamp)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE (self));

  if (epsimo_json_replace_date_time (&self->timestamp, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTAMP]);
}

const char *
epsimo_message_get_tool_call_id (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  return self->tool_call_id;
}

const char *
epsimo_message_get_name (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  return self->name;
}

JsonArray *
epsimo_message_get_tool_calls (EpsimoMessage *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE (self), NULL);

  return self->tool_calls;
}

void
epsimo_message_set_tool_calls (EpsimoMessage *self,
                               JsonArray     *tool_calls)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE (self));

  if (epsimo_json_replace_array (&self->tool_calls, tool_calls))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_CALLS]);
}
