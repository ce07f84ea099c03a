/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-chat-item"

#include "config.h"

#include "api/epsimo-json.h"

#include "epsimo-chat-item.h"

struct _EpsimoChatItem
{
  GObject                 parent_instance;

  EpsimoChatItemKind      kind;
  EpsimoMessage          *message;
  EpsimoMarkdownRenderer *renderer;
  char                   *author;
  EpsimoChatItemState     state;
  char                   *error_message;
  GListStore             *tool_calls;
  gboolean                retryable;
  gboolean                expanded;
  gboolean                live;
  int                     shown_width;
  int                     shown_height;
};

G_DEFINE_FINAL_TYPE (EpsimoChatItem, epsimo_chat_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_RETRYABLE,
  PROP_EXPANDED,
  PROP_PLACEHOLDER,
  PROP_AUTHOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_chat_item_dispose (GObject *object)
{
  EpsimoChatItem *self = (EpsimoChatItem *)object;

  g_clear_object (&self->message);
  g_clear_object (&self->renderer);
  g_clear_object (&self->tool_calls);

  G_OBJECT_CLASS (epsimo_chat_item_parent_class)->dispose (object);
}

static void
epsimo_chat_item_finalize (GObject *object)
{
  EpsimoChatItem *self = (EpsimoChatItem *)object;

  g_free (self->author);
  g_free (self->error_message);

  G_OBJECT_CLASS (epsimo_chat_item_parent_class)->finalize (object);
}

static void
epsimo_chat_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EpsimoChatItem *self = EPSIMO_CHAT_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_RETRYABLE:
      g_value_set_boolean (value, self->retryable);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, self->expanded);
      break;

    case PROP_PLACEHOLDER:
      g_value_set_boolean (value, self->message == NULL);
      break;

    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_chat_item_class_init (EpsimoChatItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_chat_item_dispose;
  object_class->finalize = epsimo_chat_item_finalize;
  object_class->get_property = epsimo_chat_item_get_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL,
                       EPSIMO_CHAT_ITEM_COMPLETE, EPSIMO_CHAT_ITEM_INCOMPLETE,
                       EPSIMO_CHAT_ITEM_COMPLETE, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_RETRYABLE] = g_param_spec_boolean ("retryable", NULL, NULL, FALSE, ro);
  properties[PROP_EXPANDED] = g_param_spec_boolean ("expanded", NULL, NULL, FALSE, ro);
  properties[PROP_PLACEHOLDER] = g_param_spec_boolean ("placeholder", NULL, NULL, FALSE, ro);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_chat_item_init (EpsimoChatItem *self)
{
}

static EpsimoMessageRole
role_for_kind (EpsimoChatItemKind kind)
{
  switch (kind)
    {
    case EPSIMO_CHAT_ITEM_ASSISTANT:
      return EPSIMO_MESSAGE_ROLE_ASSISTANT;
    case EPSIMO_CHAT_ITEM_TOOL:
      return EPSIMO_MESSAGE_ROLE_TOOL;
    case EPSIMO_CHAT_ITEM_USER:
    case EPSIMO_CHAT_ITEM_NOTE:
    default:
      return EPSIMO_MESSAGE_ROLE_USER;
    }
}

EpsimoChatItem *
epsimo_chat_item_new (EpsimoChatItemKind  kind,
                      EpsimoMessage      *message)
{
  EpsimoChatItem *self;

  g_return_val_if_fail (message == NULL || EPSIMO_IS_MESSAGE (message), NULL);

  self = g_object_new (EPSIMO_TYPE_CHAT_ITEM, NULL);
  self->kind = kind;
  self->message = message != NULL ? g_object_ref (message)
                                   : epsimo_message_new (role_for_kind (kind), "");
  return self;
}

EpsimoChatItem *
epsimo_chat_item_new_placeholder (void)
{
  EpsimoChatItem *self = g_object_new (EPSIMO_TYPE_CHAT_ITEM, NULL);

  /* No message until it is filled (that is what makes it a placeholder): ten thousand of
   * these must stay cheap. */
  return self;
}

gboolean
epsimo_chat_item_get_placeholder (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), FALSE);

  return self->message == NULL;
}

void
epsimo_chat_item_fill (EpsimoChatItem *self,
                       EpsimoChatItem *from)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (from));
  g_return_if_fail (self->message == NULL && from->message != NULL);

  self->kind = from->kind;
  g_set_object (&self->message, from->message);
  g_set_object (&self->tool_calls, from->tool_calls);
  g_clear_object (&self->renderer);
  g_free (self->author);
  self->author = g_strdup (from->author);
  self->state = from->state;
  self->live = from->live;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEHOLDER]);
}

void
epsimo_chat_item_set_shown_size (EpsimoChatItem *self,
                                 int             width,
                                 int             height)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  self->shown_width = width;
  self->shown_height = height;
}

int
epsimo_chat_item_get_shown_height (EpsimoChatItem *self,
                                   int             width)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), -1);

  return self->shown_width == width && width > 0 ? self->shown_height : -1;
}

EpsimoChatItemKind
epsimo_chat_item_get_kind (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), EPSIMO_CHAT_ITEM_USER);

  return self->kind;
}

EpsimoMessage *
epsimo_chat_item_get_message (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  return self->message;
}

const char *
epsimo_chat_item_get_text (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), "");

  if (self->message == NULL)
    return "";
  return epsimo_message_get_content (self->message);
}

/* What the renderer shows: the text, or for a tool's output the text as a code block (it is
 * data, often JSON, not markdown), fenced by more backticks than it contains. */
static char *
renderer_text (EpsimoChatItem *self)
{
  const char *text = epsimo_chat_item_get_text (self);
  guint run = 0;
  guint longest = 0;
  g_autofree char *fence = NULL;

  if (self->kind != EPSIMO_CHAT_ITEM_TOOL)
    return g_strdup (text);

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  fence = g_strnfill (MAX (3, longest + 1), '`');
  return g_strdup_printf ("%s\n%s\n%s\n", fence, text, fence);
}

void
epsimo_chat_item_set_text (EpsimoChatItem *self,
                           const char     *text)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  epsimo_message_set_content (self->message, text != NULL ? text : "");
  if (self->renderer != NULL)
    {
      g_autofree char *shown = renderer_text (self);

      epsimo_markdown_renderer_set_text (self->renderer, shown);
    }
}

void
epsimo_chat_item_append_text (EpsimoChatItem *self,
                              const char     *delta)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  if (delta == NULL || *delta == '\0')
    return;

  epsimo_message_append_content (self->message, delta);
  if (self->renderer == NULL)
    return;

  if (self->kind == EPSIMO_CHAT_ITEM_TOOL)
    {
      g_autofree char *shown = renderer_text (self);

      epsimo_markdown_renderer_set_text (self->renderer, shown);
    }
  else
    epsimo_markdown_renderer_append (self->renderer, delta, -1);
}

EpsimoMarkdownRenderer *
epsimo_chat_item_get_renderer (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  if (self->renderer == NULL)
    {
      g_autofree char *shown = renderer_text (self);

      self->renderer = epsimo_markdown_renderer_new ();
      epsimo_markdown_renderer_set_text (self->renderer, shown);
    }
  return self->renderer;
}

const char *
epsimo_chat_item_get_author (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  return self->author;
}

void
epsimo_chat_item_set_author (EpsimoChatItem *self,
                             const char     *author)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  if (epsimo_json_replace_string (&self->author, author))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
}

EpsimoChatItemState
epsimo_chat_item_get_state (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), EPSIMO_CHAT_ITEM_COMPLETE);

  return self->state;
}

void
epsimo_chat_item_set_state (EpsimoChatItem      *self,
                            EpsimoChatItemState  state)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
epsimo_chat_item_get_error_message (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  return self->error_message;
}

void
epsimo_chat_item_set_error_message (EpsimoChatItem *self,
                                    const char     *message)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  if (g_strcmp0 (self->error_message, message) == 0)
    return;

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

gboolean
epsimo_chat_item_get_retryable (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), FALSE);

  return self->retryable;
}

void
epsimo_chat_item_set_retryable (EpsimoChatItem *self,
                                gboolean        retryable)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  retryable = !!retryable;
  if (self->retryable == retryable)
    return;

  self->retryable = retryable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRYABLE]);
}

gboolean
epsimo_chat_item_get_expanded (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), FALSE);

  return self->expanded;
}

void
epsimo_chat_item_set_expanded (EpsimoChatItem *self,
                               gboolean        expanded)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  expanded = !!expanded;
  if (self->expanded == expanded)
    return;

  self->expanded = expanded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}

gboolean
epsimo_chat_item_get_live (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), FALSE);

  return self->live;
}

void
epsimo_chat_item_set_live (EpsimoChatItem *self,
                           gboolean        live)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  self->live = !!live;
}

static GListStore *
ensure_tool_calls (EpsimoChatItem *self)
{
  if (self->tool_calls == NULL)
    self->tool_calls = g_list_store_new (EPSIMO_TYPE_TOOL_CALL);
  return self->tool_calls;
}

GListModel *
epsimo_chat_item_get_tool_calls (EpsimoChatItem *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  return G_LIST_MODEL (ensure_tool_calls (self));
}

void
epsimo_chat_item_add_tool_call (EpsimoChatItem *self,
                                EpsimoToolCall *call)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));
  g_return_if_fail (EPSIMO_IS_TOOL_CALL (call));

  g_list_store_append (ensure_tool_calls (self), call);
}

EpsimoToolCall *
epsimo_chat_item_find_tool_call (EpsimoChatItem *self,
                                 const char     *id)
{
  guint n;

  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (self), NULL);

  if (self->tool_calls == NULL || id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tool_calls));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoToolCall) call = g_list_model_get_item (G_LIST_MODEL (self->tool_calls), i);

      if (g_strcmp0 (epsimo_tool_call_get_id (call), id) == 0)
        return call;
    }
  return NULL;
}

void
epsimo_chat_item_clear_tool_calls (EpsimoChatItem *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_ITEM (self));

  if (self->tool_calls != NULL)
    g_list_store_remove_all (self->tool_calls);
}
