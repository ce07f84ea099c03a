/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-database-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "api/epsimo-api-error.h"
#include "api/epsimo-json.h"
#include "widgets/epsimo-error-banner.h"
#include "widgets/epsimo-json-editor.h"

#include "epsimo-database-delete.h"
#include "epsimo-database-entry.h"
#include "epsimo-database-panel.h"

/* An import summary lists at most this many keys per line; the rest are counted. */
#define SUMMARY_KEYS 12

typedef enum
{
  VIEW_NONE,
  VIEW_LOADING,
  VIEW_ERROR,
  VIEW_LOADED,
} ViewState;

struct _EpsimoDatabasePanel
{
  AdwBin                parent_instance;

  EpsimoSession        *session;
  EpsimoProject        *project;
  char                 *thread_id;
  GCancellable         *cancellable;       /* the panel's life: saves, deletes, files */
  GCancellable         *load_cancellable;  /* the listing in progress */
  EpsimoDialect         dialect;
  ViewState             view;
  gboolean              loaded;            /* the store holds thread_id's keys */
  gboolean              loading;
  gboolean              reload_when_loaded;
  guint                 filling_editor;

  GListStore           *store;
  GtkSortListModel     *sorted;
  GtkSingleSelection   *selection;
  EpsimoDatabaseEntry  *current;
  /* "project/thread" -> GPtrArray of the entries with unsaved edits of threads not shown */
  GHashTable           *stash;

  GtkFileChooserNative *chooser;
  GtkWidget            *dialog;            /* weak: the confirmation shown */

  GtkWidget            *add_button;
  GtkPopover           *add_popover;
  GtkEntry             *add_entry;
  GtkLabel             *add_error;
  GtkWidget            *add_confirm;
  EpsimoErrorBanner    *banner;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkListView          *list_view;
  GtkStack             *editor_stack;
  GtkLabel             *key_label;
  GtkLabel             *status_label;
  EpsimoJsonEditor     *editor;
  GtkWidget            *delete_button;
};

G_DEFINE_FINAL_TYPE (EpsimoDatabasePanel, epsimo_database_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  PROP_THREAD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload         (EpsimoDatabasePanel *self);
static void update_actions (EpsimoDatabasePanel *self);

static const char *
project_id (EpsimoDatabasePanel *self)
{
  return self->project != NULL ? epsimo_project_get_id (self->project) : NULL;
}

static gboolean
has_thread (EpsimoDatabasePanel *self)
{
  return self->session != NULL && project_id (self) != NULL && self->thread_id != NULL;
}

static EpsimoDatabaseService *
service (EpsimoDatabasePanel *self)
{
  return epsimo_session_get_database (self->session);
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return epsimo_json_node_equal (a, b);
}

static void
toast (EpsimoDatabasePanel *self,
       const char          *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static GtkWindow *
parent_window (EpsimoDatabasePanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The name of @file for a message. */
static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_basename (path);
  return g_file_get_parse_name (file);
}

static char *
stash_key (const char *project,
           const char *thread)
{
  return g_strconcat (project, "/", thread, NULL);
}

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-database-css"))
    return;

  /* The feature's own style sheet: the panel must look right outside the main window too. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/com/epsimoagents/Desktop/database/epsimo-database.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "epsimo-database-css",
                          g_steal_pointer (&provider), g_object_unref);
}

/* Entries */

static EpsimoDatabaseEntry *
find_entry (EpsimoDatabasePanel *self,
            const char          *key,
            guint               *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoDatabaseEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_str_equal (epsimo_database_entry_get_key (entry), key))
        {
          if (position != NULL)
            *position = i;
          return entry; /* the store keeps it alive */
        }
    }

  return NULL;
}

static void
remove_entry (EpsimoDatabasePanel *self,
              EpsimoDatabaseEntry *entry)
{
  guint position;

  if (g_list_store_find (self->store, entry, &position))
    g_list_store_remove (self->store, position);
}

static void
select_entry (EpsimoDatabasePanel *self,
              EpsimoDatabaseEntry *entry)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoDatabaseEntry) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);

      if (item == entry)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

/* The view */

static void
update_view (EpsimoDatabasePanel *self)
{
  const char *name;

  switch (self->view)
    {
    case VIEW_NONE:
      name = "none";
      break;

    case VIEW_LOADING:
      name = "loading";
      break;

    case VIEW_ERROR:
      name = "error";
      break;

    case VIEW_LOADED:
    default:
      name = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0 ? "empty" : "keys";
      break;
    }

  gtk_stack_set_visible_child_name (self->stack, name);
  /* Spinning only while it is shown: no spinner that never stops. */
  gtk_spinner_set_spinning (self->spinner, self->view == VIEW_LOADING);
  gtk_widget_set_visible (self->delete_button, self->dialect == EPSIMO_DIALECT_REFERENCE);
  update_actions (self);
}

static void
set_view (EpsimoDatabasePanel *self,
          ViewState            view)
{
  self->view = view;
  update_view (self);
}

static void
update_status (EpsimoDatabasePanel *self)
{
  EpsimoDatabaseEntry *entry = self->current;
  g_autofree char *text = NULL;
  const char *style = NULL;

  if (entry == NULL)
    ;
  else if (epsimo_database_entry_get_saving (entry))
    text = g_strdup (_("Saving…"));
  else if (epsimo_database_entry_get_error (entry) != NULL)
    {
      /* Translators: %s says why, e.g. "Could not connect to the server." */
      text = g_strdup_printf (_("Not saved: %s"), epsimo_database_entry_get_error (entry));
      style = "error";
    }
  else if (epsimo_database_entry_get_server_changed (entry))
    {
      if (epsimo_database_entry_get_latest (entry) != NULL)
        text = g_strdup (_("This value changed on the server since you started editing it. "
                           "Saving asks whether to overwrite it."));
      else
        text = g_strdup (_("This key was deleted on the server since you started editing "
                           "it. Saving creates it again."));
      style = "warning";
    }
  else if (epsimo_database_entry_get_is_new (entry))
    text = g_strdup (_("New key: it is created when you save its value."));
  else if (epsimo_database_entry_get_modified (entry))
    text = g_strdup (_("Unsaved changes"));

  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style != NULL ? style : "dim-label");
}

static void
update_actions (EpsimoDatabasePanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  EpsimoDatabaseEntry *entry = self->current;
  gboolean place = has_thread (self);
  gboolean ready = place && self->loaded;
  gboolean valid = entry != NULL && epsimo_json_editor_get_valid (self->editor);
  gboolean modified = entry != NULL && epsimo_database_entry_get_modified (entry);
  gboolean saving = entry != NULL && epsimo_database_entry_get_saving (entry);

  gtk_widget_action_set_enabled (widget, "database.save",
                                 ready && modified && valid && !saving);
  gtk_widget_action_set_enabled (widget, "database.revert",
                                 ready && entry != NULL && !saving
                                 && (modified
                                     || epsimo_database_entry_get_server_changed (entry)));
  gtk_widget_action_set_enabled (widget, "database.format", valid);
  gtk_widget_action_set_enabled (widget, "database.copy", entry != NULL);
  gtk_widget_action_set_enabled (widget, "database.delete",
                                 ready && entry != NULL && !saving
                                 && self->dialect == EPSIMO_DIALECT_REFERENCE
                                 && !epsimo_database_entry_get_is_new (entry));
  gtk_widget_action_set_enabled (widget, "database.refresh", place);
  gtk_widget_action_set_enabled (widget, "database.add-key", ready);
  gtk_widget_action_set_enabled (widget, "database.export", ready);
  gtk_widget_action_set_enabled (widget, "database.import", ready);
  gtk_widget_set_sensitive (self->add_button, ready);
}

/* Shows the current entry in the editor: its unsaved text, else its value. */
static void
sync_editor (EpsimoDatabasePanel *self)
{
  EpsimoDatabaseEntry *entry = self->current;
  g_autofree char *label = NULL;

  if (entry == NULL)
    {
      gtk_stack_set_visible_child_name (self->editor_stack, "no-selection");
      update_actions (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  gtk_label_set_text (self->key_label, epsimo_database_entry_get_key (entry));
  /* Translators: what screen readers call the value editor; %s is the key */
  label = g_strdup_printf (_("Value of “%s”"), epsimo_database_entry_get_key (entry));
  epsimo_json_editor_set_accessible_label (self->editor, label);

  self->filling_editor++;
  if (epsimo_database_entry_get_draft (entry) != NULL)
    epsimo_json_editor_set_text (self->editor, epsimo_database_entry_get_draft (entry));
  else
    epsimo_json_editor_set_node (self->editor, epsimo_database_entry_get_value (entry));
  self->filling_editor--;

  update_status (self);
  update_actions (self);
}

static void
on_current_notify (EpsimoDatabasePanel *self)
{
  update_status (self);
  update_actions (self);
}

static void
set_current (EpsimoDatabasePanel *self,
             EpsimoDatabaseEntry *entry)
{
  if (self->current == entry)
    return;

  if (self->current != NULL)
    g_signal_handlers_disconnect_by_func (self->current, on_current_notify, self);
  g_set_object (&self->current, entry);
  if (entry != NULL)
    g_signal_connect_swapped (entry, "notify", G_CALLBACK (on_current_notify), self);

  sync_editor (self);
}

static void
on_selection_changed (EpsimoDatabasePanel *self)
{
  set_current (self, gtk_single_selection_get_selected_item (self->selection));
}

/* What the server has now for @entry: its value is shown unless the user is editing it. */
static void
apply_server_value (EpsimoDatabasePanel *self,
                    EpsimoDatabaseEntry *entry,
                    JsonNode            *value,
                    gboolean             highlight)
{
  if (epsimo_database_entry_get_modified (entry))
    {
      JsonNode *known = epsimo_database_entry_get_server_changed (entry)
                        ? epsimo_database_entry_get_latest (entry)
                        : epsimo_database_entry_get_value (entry);

      if (nodes_equal (known, value))
        return;

      /* Never clobber an edit: the save will ask what to do. */
      epsimo_database_entry_set_server_changed (entry, value);
    }
  else
    {
      if (nodes_equal (epsimo_database_entry_get_value (entry), value))
        return;

      epsimo_database_entry_set_value (entry, value);
      if (entry == self->current)
        sync_editor (self);
    }

  if (highlight)
    epsimo_database_entry_highlight (entry);
}

/* Takes @values as the server's keys. @complete: they are all of them, so keys not in it are
 * gone. @highlight: mark what changed (not on the first listing of a thread). */
static void
merge_values (EpsimoDatabasePanel *self,
              JsonObject          *values,
              gboolean             complete,
              gboolean             highlight)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint n;

  json_object_iter_init_ordered (&iter, values);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      EpsimoDatabaseEntry *entry;

      /* The conversation is not a key; an empty name could not be written back. */
      if (*key == '\0' || g_str_equal (key, "messages"))
        continue;

      g_hash_table_add (seen, (gpointer) key);
      entry = find_entry (self, key, NULL);
      if (entry != NULL)
        {
          apply_server_value (self, entry, value, highlight);
          continue;
        }

      entry = epsimo_database_entry_new (key, value);
      if (highlight)
        epsimo_database_entry_highlight (entry);
      g_ptr_array_add (added, entry);
    }

  if (added->len > 0)
    g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                         added->pdata, added->len);

  if (!complete)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EpsimoDatabaseEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->store),
                                                                    i - 1);

      if (g_hash_table_contains (seen, epsimo_database_entry_get_key (entry))
          || epsimo_database_entry_get_is_new (entry))
        continue;

      if (!epsimo_database_entry_get_modified (entry))
        g_list_store_remove (self->store, i - 1);
      else if (!epsimo_database_entry_get_server_changed (entry)
               || epsimo_database_entry_get_latest (entry) != NULL)
        {
          epsimo_database_entry_set_server_changed (entry, NULL);
          if (highlight)
            epsimo_database_entry_highlight (entry);
        }
    }
}

/* Keeps the unsaved edits of the thread shown, for when it is shown again, and empties the
 * list. */
static void
leave_thread (EpsimoDatabasePanel *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoDatabaseEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (epsimo_database_entry_get_modified (entry))
        g_ptr_array_add (kept, g_steal_pointer (&entry));
    }

  if (kept->len > 0 && project_id (self) != NULL && self->thread_id != NULL)
    g_hash_table_insert (self->stash, stash_key (project_id (self), self->thread_id),
                         g_steal_pointer (&kept));

  set_current (self, NULL);
  g_list_store_remove_all (self->store);
  self->loaded = FALSE;
  self->reload_when_loaded = FALSE;
  epsimo_error_banner_hide (self->banner);
}

static void
restore_thread (EpsimoDatabasePanel *self)
{
  g_autofree char *key = stash_key (project_id (self), self->thread_id);
  GPtrArray *kept = g_hash_table_lookup (self->stash, key);

  if (kept == NULL)
    return;

  g_list_store_splice (self->store, 0, 0, kept->pdata, kept->len);
  g_hash_table_remove (self->stash, key);
}

/* The listing */

static void
restart_load (EpsimoDatabasePanel *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  self->reload_when_loaded = FALSE;
}

static void
load_failed (EpsimoDatabasePanel *self,
             const GError        *error)
{
  /* Translators: %s says why, e.g. "Could not connect to the server." */
  g_autofree char *message = g_strdup_printf (_("Could not load the database: %s"),
                                              error->message);

  g_debug ("Loading the keys failed: %s", error->message);
  self->loading = FALSE;
  epsimo_error_banner_set_message (self->banner, message);
  epsimo_error_banner_reveal (self->banner);
  /* What was listed stays (with its edits); only a first listing shows the error page. */
  set_view (self, self->loaded ? VIEW_LOADED : VIEW_ERROR);
}

static void
keys_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  EpsimoDatabasePanel *self;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) error = NULL;
  gboolean first;

  values = epsimo_database_service_get_all_finish (EPSIMO_DATABASE_SERVICE (source), result,
                                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_DATABASE_PANEL (user_data);

  if (values == NULL)
    {
      load_failed (self, error);
      return;
    }

  self->loading = FALSE;
  first = !self->loaded;
  if (first)
    restore_thread (self);
  merge_values (self, values, TRUE, !first);
  self->loaded = TRUE;
  epsimo_error_banner_hide (self->banner);
  set_view (self, VIEW_LOADED);

  /* A state arrived while this listing was on its way: it may be older. */
  if (self->reload_when_loaded)
    reload (self);
}

static void
dialect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EpsimoDatabasePanel *self;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source), result,
                                                       &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_DATABASE_PANEL (user_data);

  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      load_failed (self, error);
      return;
    }

  /* Delete is offered only where the server has it. */
  self->dialect = dialect;
  epsimo_database_service_get_all_async (service (self), project_id (self), self->thread_id,
                                         self->load_cancellable, keys_loaded_cb, self);
}

/* Fetches the keys again; what is listed stays meanwhile. */
static void
reload (EpsimoDatabasePanel *self)
{
  restart_load (self);

  if (!has_thread (self))
    {
      self->loading = FALSE;
      leave_thread (self);
      set_view (self, VIEW_NONE);
      return;
    }

  if (!self->loaded)
    set_view (self, VIEW_LOADING);

  epsimo_auth_service_ensure_dialect_async (epsimo_session_get_auth (self->session),
                                            self->load_cancellable, dialect_cb, self);
}

static void
on_banner_retry (EpsimoDatabasePanel *self)
{
  reload (self);
}

/* Editing */

static void
on_editor_changed (EpsimoDatabasePanel *self)
{
  EpsimoDatabaseEntry *entry = self->current;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (self->filling_editor > 0 || entry == NULL)
    {
      update_actions (self);
      return;
    }

  text = epsimo_json_editor_dup_text (self->editor);
  node = epsimo_json_editor_dup_node (self->editor);

  /* Back to the loaded value (say, after Format) is no edit; while the server has moved
   * on, though, the edit stays so the newer value does not replace the text. */
  if (node != NULL && !epsimo_database_entry_get_is_new (entry)
      && !epsimo_database_entry_get_server_changed (entry)
      && nodes_equal (node, epsimo_database_entry_get_value (entry)))
    {
      epsimo_database_entry_set_draft (entry, NULL);
      epsimo_database_entry_set_error (entry, NULL);
    }
  else
    epsimo_database_entry_set_draft (entry, text);

  update_actions (self);
}

static void
format_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);

  epsimo_json_editor_format (self->editor);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  g_autofree char *text = NULL;

  if (self->current == NULL)
    return;

  text = epsimo_json_editor_dup_text (self->editor);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_strstrip (text));
  toast (self, _("Value copied"));
}

static void
revert_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  g_autoptr(EpsimoDatabaseEntry) entry = NULL;

  if (self->current == NULL || epsimo_database_entry_get_saving (self->current))
    return;

  entry = g_object_ref (self->current);

  /* Back to the server's value: the newest known one, when it moved on meanwhile. A key
   * the server does not have (never saved, or deleted there) has nothing to go back to. */
  if (epsimo_database_entry_get_server_changed (entry)
      ? epsimo_database_entry_get_latest (entry) == NULL
      : epsimo_database_entry_get_is_new (entry))
    {
      remove_entry (self, entry);
      update_view (self);
      return;
    }

  epsimo_database_entry_set_error (entry, NULL);
  epsimo_database_entry_set_draft (entry, NULL);
  sync_editor (self);
}

/* Saving */

typedef struct
{
  EpsimoDatabasePanel *self;     /* not a reference: the panel cancels the call when it goes */
  EpsimoDatabaseEntry *entry;
  JsonNode            *node;
  char                *text;
  char                *project_id;
  char                *thread_id;
} SaveData;

static void
save_data_free (SaveData *data)
{
  /* However the save ended, it no longer runs. */
  epsimo_database_entry_set_saving (data->entry, FALSE);
  g_clear_object (&data->entry);
  g_clear_pointer (&data->node, json_node_unref);
  g_free (data->text);
  g_free (data->project_id);
  g_free (data->thread_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
save_failed (SaveData     *data,
             const GError *error)
{
  g_debug ("Saving “%s” failed: %s", epsimo_database_entry_get_key (data->entry),
           error->message);
  /* The edit stays, marked unsaved, with what went wrong. */
  epsimo_database_entry_set_error (data->entry, error->message);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  EpsimoDatabaseEntry *entry = data->entry;
  EpsimoDatabasePanel *self;

  if (!epsimo_database_service_set_key_finish (EPSIMO_DATABASE_SERVICE (source), result,
                                               &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      save_failed (data, error);
      return;
    }

  self = data->self;
  epsimo_database_entry_set_error (entry, NULL);
  epsimo_database_entry_set_value (entry, data->node);
  /* Typing on while it saved is a new edit, kept. */
  if (g_strcmp0 (epsimo_database_entry_get_draft (entry), data->text) == 0)
    epsimo_database_entry_set_draft (entry, NULL);
  if (entry == self->current)
    update_actions (self);

  /* Translators: %s is a key of the thread's database */
  message = g_strdup_printf (_("Key “%s” saved"), epsimo_database_entry_get_key (entry));
  toast (self, message);
}

static void
save_write (SaveData *data)
{
  EpsimoDatabasePanel *self = data->self;

  epsimo_database_service_set_key_async (service (self), data->project_id, data->thread_id,
                                         epsimo_database_entry_get_key (data->entry),
                                         data->node, self->cancellable, save_done_cb, data);
}

static void
on_conflict_response (AdwMessageDialog    *dialog,
                      const char          *response,
                      EpsimoDatabasePanel *self)
{
  g_autoptr(SaveData) data = g_object_steal_data (G_OBJECT (dialog), "epsimo-save");
  JsonNode *server_node = g_object_get_data (G_OBJECT (dialog), "epsimo-server-value");
  EpsimoDatabaseEntry *entry;

  if (data == NULL)
    return;
  entry = data->entry;

  if (g_strcmp0 (response, "overwrite") == 0)
    {
      save_write (g_steal_pointer (&data));
      return;
    }

  if (g_strcmp0 (response, "reload") != 0)
    return;

  /* The server's value replaces the edit: gone from the server means gone from here. */
  epsimo_database_entry_set_error (entry, NULL);
  if (server_node == NULL)
    {
      remove_entry (self, entry);
      update_view (self);
      return;
    }

  epsimo_database_entry_set_value (entry, server_node);
  epsimo_database_entry_set_draft (entry, NULL);
  if (entry == self->current)
    sync_editor (self);
}

static void
ask_conflict (SaveData *data,
              JsonNode *server_node)
{
  EpsimoDatabasePanel *self = data->self;
  const char *key = epsimo_database_entry_get_key (data->entry);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent_window (self), NULL,
                                   server_node != NULL
                                   ? _("Its value on the server changed since you started "
                                       "editing it. Overwrite it with your version, or reload "
                                       "it and lose your changes?")
                                   : _("It was deleted on the server since you started editing "
                                       "it. Create it again with your version, or drop your "
                                       "changes?"));
  if (server_node != NULL)
    /* Translators: %s is a key of the thread's database */
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                       _("“%s” Changed on the Server"), key);
  else
    /* Translators: %s is a key of the thread's database */
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                       _("“%s” Was Deleted on the Server"), key);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reload", _("_Reload"),
                                    "overwrite", _("_Overwrite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "overwrite",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (server_node != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "epsimo-server-value",
                            epsimo_json_node_copy (server_node),
                            (GDestroyNotify) json_node_unref);
  /* Freed with the dialog when nobody answers (the panel went). */
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-save", data,
                          (GDestroyNotify) save_data_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_conflict_response), self, 0);

  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(JsonNode) server_node = NULL;
  g_autoptr(GError) error = NULL;

  server_node = epsimo_database_service_get_key_finish (EPSIMO_DATABASE_SERVICE (source),
                                                        result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (server_node == NULL && !g_error_matches (error, EPSIMO_API_ERROR,
                                               EPSIMO_API_ERROR_NOT_FOUND))
    {
      save_failed (data, error);
      return;
    }

  /* The edit started from what was loaded: anything else there now is someone else's. */
  if (nodes_equal (server_node, epsimo_database_entry_get_value (data->entry)))
    save_write (g_steal_pointer (&data));
  else
    ask_conflict (g_steal_pointer (&data), server_node);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  EpsimoDatabaseEntry *entry = self->current;
  g_autoptr(JsonNode) node = NULL;
  SaveData *data;

  /* Invalid JSON is never sent: the editor says where it is wrong. */
  if (entry == NULL || !has_thread (self) || !epsimo_database_entry_get_modified (entry)
      || epsimo_database_entry_get_saving (entry)
      || (node = epsimo_json_editor_dup_node (self->editor)) == NULL)
    return;

  data = g_new0 (SaveData, 1);
  data->self = self;
  data->entry = g_object_ref (entry);
  data->node = g_steal_pointer (&node);
  data->text = epsimo_json_editor_dup_text (self->editor);
  data->project_id = g_strdup (project_id (self));
  data->thread_id = g_strdup (self->thread_id);

  epsimo_database_entry_set_error (entry, NULL);
  epsimo_database_entry_set_saving (entry, TRUE);
  epsimo_database_service_get_key_async (service (self), data->project_id, data->thread_id,
                                         epsimo_database_entry_get_key (entry),
                                         self->cancellable, save_checked_cb, data);
}

/* Adding a key */

/* Returns why @name cannot be a new key (translated), or NULL. */
static char *
check_new_key (EpsimoDatabasePanel *self,
               const char          *name)
{
  if (*name == '\0')
    return g_strdup (_("Enter a name for the key."));
  if (g_str_equal (name, "messages"))
    return g_strdup (_("“messages” holds the conversation: choose another name."));
  if (find_entry (self, name, NULL) != NULL)
    /* Translators: %s is the key name the user typed */
    return g_strdup_printf (_("This thread already has a key “%s”."), name);
  return NULL;
}

static char *
dup_new_key_name (EpsimoDatabasePanel *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_entry))));
}

static void
show_add_error (EpsimoDatabasePanel *self,
                const char          *message)
{
  gtk_label_set_text (self->add_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->add_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->add_entry), "error");
}

static void
on_add_entry_changed (EpsimoDatabasePanel *self)
{
  g_autofree char *name = dup_new_key_name (self);
  g_autofree char *message = check_new_key (self, name);

  /* An empty name is not an error yet: the user has not typed anything. */
  show_add_error (self, *name != '\0' ? message : NULL);
  gtk_widget_set_sensitive (self->add_confirm, message == NULL);
}

static void
on_add_popover_show (EpsimoDatabasePanel *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  on_add_entry_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
}

static void
on_add_confirm (EpsimoDatabasePanel *self)
{
  g_autofree char *name = dup_new_key_name (self);
  g_autofree char *message = NULL;
  g_autoptr(EpsimoDatabaseEntry) entry = NULL;

  if (!self->loaded || !has_thread (self))
    return;

  if ((message = check_new_key (self, name)) != NULL)
    {
      show_add_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
      return;
    }

  /* It lives here, marked new, until its value is saved. */
  entry = epsimo_database_entry_new (name, NULL);
  epsimo_database_entry_set_draft (entry, "");
  g_list_store_append (self->store, entry);
  gtk_popover_popdown (self->add_popover);
  update_view (self);
  select_entry (self, entry);
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

static void
add_key_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->add_button));
}

/* Deleting a key (reference dialect) */

typedef struct
{
  EpsimoDatabasePanel *self;     /* not a reference: the panel cancels the call when it goes */
  EpsimoDatabaseEntry *entry;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->entry);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *key = epsimo_database_entry_get_key (data->entry);

  /* Already gone is what was wanted. */
  if (!epsimo_database_delete_key_finish (EPSIMO_DATABASE_SERVICE (source), result, &error)
      && !g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Translators: a key of the thread's database, then why it could not be deleted */
      message = g_strdup_printf (_("Could not delete “%s”: %s"), key, error->message);
      toast (data->self, message);
      return;
    }

  remove_entry (data->self, data->entry);
  update_view (data->self);
  /* Translators: %s is a key of the thread's database */
  message = g_strdup_printf (_("Key “%s” deleted"), key);
  toast (data->self, message);
}

static void
on_delete_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    EpsimoDatabasePanel *self)
{
  EpsimoDatabaseEntry *entry = g_object_get_data (G_OBJECT (dialog), "epsimo-entry");
  const char *project = g_object_get_data (G_OBJECT (dialog), "epsimo-project-id");
  const char *thread = g_object_get_data (G_OBJECT (dialog), "epsimo-thread-id");
  DeleteData *data;

  if (g_strcmp0 (response, "delete") != 0 || entry == NULL || self->session == NULL)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = self;
  data->entry = g_object_ref (entry);
  epsimo_database_delete_key_async (service (self), project, thread,
                                    epsimo_database_entry_get_key (entry), self->cancellable,
                                    delete_cb, data);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  EpsimoDatabaseEntry *entry = self->current;
  GtkWidget *dialog;

  if (entry == NULL || self->dialog != NULL || !has_thread (self)
      || !epsimo_database_can_delete_key (service (self)))
    return;

  dialog = adw_message_dialog_new (parent_window (self), NULL,
                                   _("The key and its value are removed from the thread’s "
                                     "database. This cannot be undone."));
  /* Translators: %s is a key of the thread's database */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     epsimo_database_entry_get_key (entry));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Where the key was: the panel may show another thread by the time of the answer. */
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-entry", g_object_ref (entry),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-project-id",
                          g_strdup (project_id (self)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-thread-id", g_strdup (self->thread_id),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);

  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_dialog (EpsimoDatabasePanel *self)
{
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  reload (EPSIMO_DATABASE_PANEL (widget));
}

/* Export */

typedef struct
{
  EpsimoDatabasePanel *self;     /* not a reference: the panel cancels the work when it goes */
  GFile               *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportData, export_data_free)

static void
export_failed (ExportData   *data,
               const GError *error)
{
  /* Translators: %s says why, e.g. "Permission denied" */
  g_autofree char *message = g_strdup_printf (_("Could not export the database: %s"),
                                              error->message);

  toast (data->self, message);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        export_failed (data, error);
      return;
    }

  name = file_display_name (data->file);
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Database exported to “%s”"), name);
  toast (data->self, message);
}

static void
export_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  GCancellable *cancellable;
  GFile *file;

  values = epsimo_database_service_get_all_finish (EPSIMO_DATABASE_SERVICE (source), result,
                                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (values == NULL)
    {
      export_failed (data, error);
      return;
    }

  node = json_node_init_object (json_node_alloc (), values);
  text = epsimo_json_to_string (node, TRUE);
  bytes = g_bytes_new_take (g_strconcat (text, "\n", NULL), strlen (text) + 1);
  file = data->file;
  cancellable = data->self->cancellable;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                       export_written_cb, g_steal_pointer (&data));
}

void
epsimo_database_panel_export_to_file (EpsimoDatabasePanel *self,
                                      GFile               *file)
{
  ExportData *data;

  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!has_thread (self))
    return;

  data = g_new0 (ExportData, 1);
  data->self = self;
  data->file = g_object_ref (file);
  /* The server's keys now, not what happens to be listed: the whole state. */
  epsimo_database_service_get_all_async (service (self), project_id (self), self->thread_id,
                                         self->cancellable, export_fetched_cb, data);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("JSON Files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
on_export_response (GtkNativeDialog     *dialog,
                    int                  response,
                    EpsimoDatabasePanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        epsimo_database_panel_export_to_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  g_autoptr(GtkFileFilter) filter = json_filter ();

  if (!has_thread (self) || self->chooser != NULL)
    return;

  /* Inside Flatpak the native chooser goes through the portal by itself. */
  self->chooser = gtk_file_chooser_native_new (_("Export Database"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "database.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Import */

typedef struct
{
  EpsimoDatabasePanel *self;     /* not a reference: the panel cancels the work when it goes */
  GFile               *file;
  char                *project_id;
  char                *thread_id;
  JsonObject          *values;   /* the file's */
  GPtrArray           *keys;     /* those to set: added or changed */
  guint                done;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->file);
  g_free (data->project_id);
  g_free (data->thread_id);
  g_clear_pointer (&data->values, json_object_unref);
  g_clear_pointer (&data->keys, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
import_failed (ImportData *data,
               const char *reason)
{
  g_autofree char *name = file_display_name (data->file);
  /* Translators: a file name, then why it could not be imported */
  g_autofree char *message = g_strdup_printf (_("Could not import “%s”: %s"), name, reason);

  toast (data->self, message);
}

/* Whether the import went to the thread shown, so its keys are fetched again. */
static void
import_refresh (ImportData *data)
{
  EpsimoDatabasePanel *self = data->self;

  if (g_strcmp0 (project_id (self), data->project_id) == 0
      && g_strcmp0 (self->thread_id, data->thread_id) == 0)
    reload (self);
}

static void import_next (ImportData *data);

static void
import_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_database_service_set_key_finish (EPSIMO_DATABASE_SERVICE (source), result,
                                               &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Translators: a key, then why it could not be set; %u keys were set before it */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Could not import “%s”: %s. %u key was "
                                              "imported before it.",
                                              "Could not import “%s”: %s. %u keys were "
                                              "imported before it.",
                                              data->done),
                                 (const char *) g_ptr_array_index (data->keys, data->done),
                                 error->message, data->done);
      toast (data->self, message);
      import_refresh (data);
      return;
    }

  data->done++;
  import_next (g_steal_pointer (&data));
}

/* Sets the keys one at a time, so a failure says exactly what was imported. */
static void
import_next (ImportData *data)
{
  EpsimoDatabasePanel *self = data->self;
  const char *key;

  if (data->done == data->keys->len)
    {
      g_autoptr(ImportData) finished = data;
      g_autofree char *message = NULL;

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key imported",
                                              "%u keys imported", finished->done),
                                 finished->done);
      toast (self, message);
      import_refresh (finished);
      return;
    }

  key = g_ptr_array_index (data->keys, data->done);
  epsimo_database_service_set_key_async (service (self), data->project_id, data->thread_id,
                                         key, json_object_get_member (data->values, key),
                                         self->cancellable, import_set_cb, data);
}

static void
on_import_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    EpsimoDatabasePanel *self)
{
  ImportData *data;

  if (g_strcmp0 (response, "import") != 0
      || (data = g_object_steal_data (G_OBJECT (dialog), "epsimo-import")) == NULL)
    return;

  import_next (data);
}

/* "a, b, c" with at most SUMMARY_KEYS names, then how many more. */
static char *
join_keys (GPtrArray *keys)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < keys->len && i < SUMMARY_KEYS; i++)
    {
      if (i > 0)
        /* Translators: the separator between two keys in a list */
        g_string_append (text, _(", "));
      g_string_append (text, g_ptr_array_index (keys, i));
    }

  if (keys->len > SUMMARY_KEYS)
    {
      guint more = keys->len - SUMMARY_KEYS;

      g_string_append (text, " ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more",
                                                 "and %u more", more),
                              more);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
import_compared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *name = NULL;
  EpsimoDatabasePanel *self;
  gboolean skipped = FALSE;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  GtkWidget *dialog;

  current = epsimo_database_service_get_all_finish (EPSIMO_DATABASE_SERVICE (source), result,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (current == NULL)
    {
      import_failed (data, error->message);
      return;
    }
  self = data->self;

  json_object_iter_init_ordered (&iter, data->values);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      JsonNode *now;

      if (*key == '\0' || g_str_equal (key, "messages"))
        {
          skipped = TRUE;
          continue;
        }

      now = json_object_get_member (current, key);
      if (now == NULL)
        g_ptr_array_add (added, (gpointer) key);
      else if (!nodes_equal (now, value))
        g_ptr_array_add (changed, (gpointer) key);
    }

  name = file_display_name (data->file);
  if (added->len == 0 && changed->len == 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a file name */
      message = g_strdup_printf (_("Nothing to import: the thread already has the values of "
                                   "“%s”"), name);
      toast (self, message);
      return;
    }

  if (added->len > 0)
    {
      g_autofree char *list = join_keys (added);

      /* Translators: followed by a list of keys */
      g_string_append_printf (body, _("Added: %s"), list);
    }
  if (changed->len > 0)
    {
      g_autofree char *list = join_keys (changed);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: followed by a list of keys */
      g_string_append_printf (body, _("Changed: %s"), list);
    }
  if (skipped)
    {
      g_string_append_c (body, '\n');
      g_string_append (body, _("“messages” and unnamed keys are left out: the conversation "
                               "cannot be imported."));
    }

  data->keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < added->len; i++)
    g_ptr_array_add (data->keys, g_strdup (g_ptr_array_index (added, i)));
  for (guint i = 0; i < changed->len; i++)
    g_ptr_array_add (data->keys, g_strdup (g_ptr_array_index (changed, i)));

  if (self->dialog != NULL)
    close_dialog (self);

  dialog = adw_message_dialog_new (parent_window (self), NULL, body->str);
  /* Translators: %s is a file name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Import “%s”?"), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-import", g_steal_pointer (&data),
                          (GDestroyNotify) import_data_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response), self, 0);

  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  JsonNode *root;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        import_failed (data, error->message);
      return;
    }

  parser = json_parser_new_immutable ();
  if (!g_utf8_validate (contents, length, NULL))
    {
      import_failed (data, _("it is not a text file"));
      return;
    }
  if (!epsimo_json_parser_load (parser, contents, length, &error))
    {
      import_failed (data, error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      import_failed (data, _("it does not hold a JSON object"));
      return;
    }

  data->values = json_object_ref (json_node_get_object (root));
  /* Compared with the server's keys now, not what happens to be listed. */
  epsimo_database_service_get_all_async (service (data->self), data->project_id,
                                         data->thread_id, data->self->cancellable,
                                         import_compared_cb, data);
  g_steal_pointer (&data);
}

void
epsimo_database_panel_import_from_file (EpsimoDatabasePanel *self,
                                        GFile               *file)
{
  ImportData *data;

  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!has_thread (self))
    return;

  data = g_new0 (ImportData, 1);
  data->self = self;
  data->file = g_object_ref (file);
  data->project_id = g_strdup (project_id (self));
  data->thread_id = g_strdup (self->thread_id);
  g_file_load_contents_async (file, self->cancellable, import_read_cb, data);
}

static void
on_import_chooser_response (GtkNativeDialog     *dialog,
                            int                  response,
                            EpsimoDatabasePanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        epsimo_database_panel_import_from_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (widget);
  g_autoptr(GtkFileFilter) filter = json_filter ();

  if (!has_thread (self) || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Import Into the Database"),
                                               parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_import_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The rows of the list */

static void
update_row (GtkListItem *item)
{
  EpsimoDatabaseEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *top = gtk_widget_get_first_child (box);
  GtkWidget *preview = gtk_widget_get_last_child (box);
  GtkWidget *key = gtk_widget_get_first_child (top);
  GtkWidget *status = gtk_widget_get_last_child (top);
  const char *status_text = epsimo_database_entry_get_status (entry);

  /* Keys and values are the user's data: plain text, never markup. */
  gtk_label_set_text (GTK_LABEL (key), epsimo_database_entry_get_key (entry));
  gtk_label_set_text (GTK_LABEL (preview), epsimo_database_entry_get_preview (entry));
  gtk_label_set_text (GTK_LABEL (status), status_text != NULL ? status_text : "");
  gtk_widget_set_visible (status, status_text != NULL);

  /* The colour goes with the word shown (see epsimo_database_entry_get_status()). */
  gtk_widget_remove_css_class (status, "error");
  gtk_widget_remove_css_class (status, "warning");
  if (!epsimo_database_entry_get_saving (entry))
    {
      if (epsimo_database_entry_get_error (entry) != NULL)
        gtk_widget_add_css_class (status, "error");
      else if (epsimo_database_entry_get_server_changed (entry))
        gtk_widget_add_css_class (status, "warning");
    }

  if (epsimo_database_entry_get_highlighted (entry))
    gtk_widget_add_css_class (box, "changed");
  else
    gtk_widget_remove_css_class (box, "changed");
}

static void
on_row_entry_notify (EpsimoDatabaseEntry *entry,
                     GParamSpec          *pspec,
                     GtkListItem         *item)
{
  update_row (item);
}

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EpsimoDatabasePanel      *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *key = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *preview = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "epsimo-database-row");

  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_label_set_ellipsize (GTK_LABEL (key), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "heading");

  gtk_widget_set_visible (status, FALSE);
  gtk_widget_add_css_class (status, "caption");

  /* One line whatever the value: the editor shows the rest. */
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (preview), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (preview), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (preview, "caption");
  gtk_widget_add_css_class (preview, "monospace");
  gtk_widget_add_css_class (preview, "dim-label");

  gtk_box_append (GTK_BOX (top), key);
  gtk_box_append (GTK_BOX (top), status);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), preview);
  gtk_list_item_set_child (item, box);
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          EpsimoDatabasePanel      *self)
{
  update_row (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify",
                    G_CALLBACK (on_row_entry_notify), item);
}

static void
row_unbind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            EpsimoDatabasePanel      *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), on_row_entry_notify,
                                        item);
}

/* GObject */

static void
epsimo_database_panel_realize (GtkWidget *widget)
{
  ensure_css (gtk_widget_get_display (widget));

  GTK_WIDGET_CLASS (epsimo_database_panel_parent_class)->realize (widget);
}

static void
epsimo_database_panel_dispose (GObject *object)
{
  EpsimoDatabasePanel *self = (EpsimoDatabasePanel *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  close_dialog (self);

  if (self->current != NULL)
    g_signal_handlers_disconnect_by_func (self->current, on_current_notify, self);
  g_clear_object (&self->current);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_DATABASE_PANEL);

  g_clear_object (&self->session);
  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->store);
  g_clear_pointer (&self->stash, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);

  G_OBJECT_CLASS (epsimo_database_panel_parent_class)->dispose (object);
}

static void
epsimo_database_panel_finalize (GObject *object)
{
  EpsimoDatabasePanel *self = (EpsimoDatabasePanel *)object;

  g_clear_pointer (&self->thread_id, g_free);

  G_OBJECT_CLASS (epsimo_database_panel_parent_class)->finalize (object);
}

static void
epsimo_database_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_THREAD_ID:
      g_value_set_string (value, self->thread_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_database_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EpsimoDatabasePanel *self = EPSIMO_DATABASE_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_database_panel_set_session (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      epsimo_database_panel_set_project (self, g_value_get_object (value));
      break;

    case PROP_THREAD_ID:
      epsimo_database_panel_set_thread_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_database_panel_class_init (EpsimoDatabasePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_database_panel_dispose;
  object_class->finalize = epsimo_database_panel_finalize;
  object_class->get_property = epsimo_database_panel_get_property;
  object_class->set_property = epsimo_database_panel_set_property;
  widget_class->realize = epsimo_database_panel_realize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THREAD_ID] =
    g_param_spec_string ("thread-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "database.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "database.revert", NULL, revert_activated);
  gtk_widget_class_install_action (widget_class, "database.format", NULL, format_activated);
  gtk_widget_class_install_action (widget_class, "database.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "database.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "database.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "database.add-key", NULL, add_key_activated);
  gtk_widget_class_install_action (widget_class, "database.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "database.import", NULL, import_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "database.save", NULL);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  g_type_ensure (EPSIMO_TYPE_JSON_EDITOR);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/database/epsimo-database-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, add_popover);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, add_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, add_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, add_confirm);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, key_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, editor);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePanel, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_confirm);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_changed);
  gtk_widget_class_bind_template_callback (widget_class, row_setup);
  gtk_widget_class_bind_template_callback (widget_class, row_bind);
  gtk_widget_class_bind_template_callback (widget_class, row_unbind);
}

static void
epsimo_database_panel_init (EpsimoDatabasePanel *self)
{
  g_autoptr(GtkSorter) sorter = NULL;

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->store = g_list_store_new (EPSIMO_TYPE_DATABASE_ENTRY);
  self->stash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Keys in name order, so a key is where the user expects it. */
  sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (EPSIMO_TYPE_DATABASE_ENTRY, NULL, "key")));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                          g_object_ref (sorter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  sync_editor (self);
  set_view (self, VIEW_NONE);
}

GtkWidget *
epsimo_database_panel_new (void)
{
  return g_object_new (EPSIMO_TYPE_DATABASE_PANEL, NULL);
}

EpsimoSession *
epsimo_database_panel_get_session (EpsimoDatabasePanel *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PANEL (self), NULL);

  return self->session;
}

void
epsimo_database_panel_set_session (EpsimoDatabasePanel *self,
                                   EpsimoSession       *session)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (self->session == session)
    return;

  /* Nothing of the previous account survives: not its keys, not its unsaved edits. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  close_dialog (self);
  leave_thread (self);
  g_hash_table_remove_all (self->stash);
  g_set_object (&self->session, session);
  self->dialect = EPSIMO_DIALECT_UNKNOWN;
  reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_database_panel_get_project (EpsimoDatabasePanel *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PANEL (self), NULL);

  return self->project;
}

void
epsimo_database_panel_set_project (EpsimoDatabasePanel *self,
                                   EpsimoProject       *project)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (self->project == project)
    return;

  leave_thread (self);
  g_set_object (&self->project, project);
  reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

const char *
epsimo_database_panel_get_thread_id (EpsimoDatabasePanel *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PANEL (self), NULL);

  return self->thread_id;
}

void
epsimo_database_panel_set_thread_id (EpsimoDatabasePanel *self,
                                     const char          *thread_id)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));

  if (thread_id != NULL && *thread_id == '\0')
    thread_id = NULL;
  if (g_strcmp0 (self->thread_id, thread_id) == 0)
    return;

  leave_thread (self);
  g_free (self->thread_id);
  self->thread_id = g_strdup (thread_id);
  reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_ID]);
}

void
epsimo_database_panel_apply_state (EpsimoDatabasePanel *self,
                                   JsonObject          *values)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));

  if (!has_thread (self))
    return;

  if (values == NULL || !self->loaded)
    {
      /* Fetched when the thread's first listing is still to come or failed. */
      if (values == NULL || !self->loading)
        reload (self);
      else
        self->reload_when_loaded = TRUE;
      return;
    }

  merge_values (self, values, FALSE, TRUE);
  /* A listing on its way may predate these values. */
  if (self->loading)
    self->reload_when_loaded = TRUE;
  update_view (self);
}

void
epsimo_database_panel_refresh (EpsimoDatabasePanel *self)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PANEL (self));

  reload (self);
}
