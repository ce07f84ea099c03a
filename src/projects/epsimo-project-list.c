/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-project-list"

#include "config.h"

#include <glib/gi18n.h>

#include "widgets/epsimo-error-banner.h"
#include "widgets/epsimo-list-click.h"
#include "widgets/epsimo-stack-page.h"
#include "widgets/epsimo-tooltip.h"

#include "epsimo-project-delete-dialog.h"
#include "epsimo-project-dialog.h"
#include "epsimo-project-list.h"

struct _EpsimoProjectList
{
  AdwBin              parent_instance;

  EpsimoSession      *session;
  EpsimoProject      *selected;
  /* An id to select once the list has loaded (the project remembered from last time, or
   * one just created). */
  char               *pending_id;

  GListStore         *store;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkStringFilter    *filter;

  /* Cancelled in dispose and when the session changes: every call of this widget. */
  GCancellable       *cancellable;
  /* The list request in flight, replaced by a newer refresh. */
  GCancellable       *load_cancellable;
  gboolean            loaded;
  gboolean            was_loading;   /* as last notified */
  gboolean            load_failed;
  /* Set while the list itself moves the selection, so that only the user's choices and
   * the loss of the current project change "selected-project". */
  gboolean            syncing;
  guint               sync_idle_id;

  EpsimoErrorBanner  *banner;
  GtkWidget          *refresh_button;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *no_results_page;
  GtkSpinner         *refresh_spinner;
};

G_DEFINE_FINAL_TYPE (EpsimoProjectList, epsimo_project_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SELECTED_PROJECT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROJECT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
find_in_store (EpsimoProjectList *self,
               EpsimoProject     *project,
               const char        *project_id,
               guint             *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoProject) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if ((project != NULL && item == project)
          || (project_id != NULL && g_strcmp0 (epsimo_project_get_id (item), project_id) == 0))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static guint
find_in_view (EpsimoProjectList *self,
              EpsimoProject     *project)
{
  GListModel *model = G_LIST_MODEL (self->sort_model);
  guint n = g_list_model_get_n_items (model);

  if (project == NULL)
    return GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoProject) item = g_list_model_get_item (model, i);

      if (item == project)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
update_actions (EpsimoProjectList *self)
{
  gboolean signed_in = self->session != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.new", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.refresh", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.edit",
                                 signed_in && self->selected != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.delete",
                                 signed_in && self->selected != NULL);
}

static void
update_view (EpsimoProjectList *self)
{
  gboolean loading = self->load_cancellable != NULL;
  const char *page;

  if (!self->loaded && self->session != NULL)
    page = loading ? "loading" : "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) == 0)
    page = "no-results";
  else
    page = "list";

  if (g_str_equal (page, "no-results"))
    {
      g_autofree char *description =
        g_strdup_printf (_("No project name contains “%s”."),
                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

      adw_status_page_set_description (self->no_results_page, description);
    }

  epsimo_stack_show_page (self->stack, page);
  /* Nothing to search in until there are projects (a search typed stays editable). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry),
                            g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0
                            || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0');
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  /* A refresh behind a list already shown: a small spinner, the list stays usable. */
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), loading && self->loaded);
  gtk_spinner_set_spinning (self->refresh_spinner, loading && self->loaded);

  if (loading != self->was_loading)
    {
      self->was_loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
set_selected (EpsimoProjectList *self,
              EpsimoProject     *project)
{
  if (!g_set_object (&self->selected, project))
    return;

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PROJECT]);
}

/* Shows the current project as selected when it is in view (a search may hide it). */
static void
sync_selection (EpsimoProjectList *self)
{
  guint position = find_in_view (self, self->selected);
  gboolean was_syncing;

  if (gtk_single_selection_get_selected (self->selection) == position)
    return;

  was_syncing = self->syncing;
  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing = was_syncing;
}

static void
on_selected_item_changed (EpsimoProjectList *self)
{
  EpsimoProject *item = gtk_single_selection_get_selected_item (self->selection);

  if (self->syncing)
    return;

  /* The selection empties when a search hides the current project: it stays current
   * (the content keeps showing it) as long as it exists. */
  if (item == NULL && self->selected != NULL && find_in_store (self, self->selected, NULL, NULL))
    return;

  set_selected (self, item);
}

static gboolean
sync_selection_idle (gpointer user_data)
{
  EpsimoProjectList *self = user_data;

  self->sync_idle_id = 0;
  sync_selection (self);
  return G_SOURCE_REMOVE;
}

static void
on_view_items_changed (EpsimoProjectList *self)
{
  update_view (self);
  /* Not while the list view is still taking in the change (it crashes in GTK 4.8), but
   * before the next frame is drawn. */
  if (self->sync_idle_id == 0)
    self->sync_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, sync_selection_idle,
                                          self, NULL);
}

static void
on_search_changed (EpsimoProjectList *self)
{
  gtk_string_filter_set_search (self->filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_stop_search (EpsimoProjectList *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Replaces the listed projects with @projects in one splice, keeping the objects of the
 * projects that are still there (updated in place), so the current project stays the
 * same object and only what changed is notified. */
static void
merge (EpsimoProjectList *self,
       GPtrArray         *projects)
{
  /* id -> the listed object (a reference, until the splice is done) */
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                       NULL, g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *store = G_LIST_MODEL (self->store);
  guint n_old = g_list_model_get_n_items (store);
  EpsimoProject *current = NULL;
  gboolean was_syncing;

  for (guint i = 0; i < n_old; i++)
    {
      EpsimoProject *item = g_list_model_get_item (store, i);

      g_hash_table_insert (known, (gpointer) epsimo_project_get_id (item), item);
    }

  for (guint i = 0; i < projects->len; i++)
    {
      EpsimoProject *fresh = g_ptr_array_index (projects, i);
      const char *id = epsimo_project_get_id (fresh);
      EpsimoProject *item;

      /* A listing that names a project twice shows it once. */
      if (id == NULL || !g_hash_table_add (seen, (gpointer) id))
        continue;

      item = g_hash_table_lookup (known, id);
      if (item != NULL)
        {
          g_object_freeze_notify (G_OBJECT (item));
          epsimo_project_set_name (item, epsimo_project_get_name (fresh));
          epsimo_project_set_description (item, epsimo_project_get_description (fresh));
          epsimo_project_set_metadata (item, epsimo_project_get_metadata (fresh));
          g_object_thaw_notify (G_OBJECT (item));
          g_ptr_array_add (items, g_object_ref (item));
        }
      else
        g_ptr_array_add (items, g_object_ref (fresh));
    }

  was_syncing = self->syncing;
  self->syncing = TRUE;
  g_list_store_splice (self->store, 0, n_old, items->pdata, items->len);
  self->syncing = was_syncing;

  /* The current project: the one asked for, else the one shown before, else the first. */
  if (self->pending_id != NULL)
    {
      for (guint i = 0; i < items->len && current == NULL; i++)
        if (g_strcmp0 (epsimo_project_get_id (g_ptr_array_index (items, i)),
                       self->pending_id) == 0)
          current = g_ptr_array_index (items, i);
      g_clear_pointer (&self->pending_id, g_free);
      if (current != NULL && find_in_view (self, current) == GTK_INVALID_LIST_POSITION)
        gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
    }
  if (current == NULL && self->selected != NULL
      && g_ptr_array_find (items, self->selected, NULL))
    current = self->selected;
  if (current == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0)
    {
      g_autoptr(EpsimoProject) first = g_list_model_get_item (G_LIST_MODEL (self->sort_model),
                                                              0);
      current = first; /* the store keeps it */
    }

  set_selected (self, current);
  sync_selection (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  EpsimoProjectList *self = user_data;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = epsimo_session_list_projects_finish (EPSIMO_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);

  if (projects == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not load the projects: %s"), error->message);

      self->load_failed = TRUE;
      epsimo_error_banner_set_message (self->banner, message);
      epsimo_error_banner_reveal (self->banner);
      update_view (self);
      return;
    }

  self->load_failed = FALSE;
  self->loaded = TRUE;
  epsimo_error_banner_hide (self->banner);
  merge (self, projects);
  update_view (self);
}

void
epsimo_project_list_reload (EpsimoProjectList *self)
{
  g_return_if_fail (EPSIMO_IS_PROJECT_LIST (self));

  if (self->session == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  /* Through the session: right after a resume, it already asked. */
  epsimo_session_list_projects_async (self->session, self->load_cancellable, list_cb, self);
  update_view (self);
}

static void
on_banner_retry (EpsimoProjectList *self)
{
  epsimo_project_list_reload (self);
}

static void
on_project_saved (EpsimoProjectList *self,
                  EpsimoProject     *project)
{
  g_free (self->pending_id);
  self->pending_id = g_strdup (epsimo_project_get_id (project));
  epsimo_project_list_reload (self);
}

static void
open_dialog (EpsimoProjectList *self,
             EpsimoProject     *project)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->session == NULL)
    return;

  dialog = epsimo_project_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                      self->session, project);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_project_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EpsimoProjectList *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Declined or cancelled: nothing changed, and @self may be gone. */
  if (!epsimo_project_delete_flow_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Deleted or not, the server has the last word on what is listed. */
  epsimo_project_list_reload (self);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (EPSIMO_PROJECT_LIST (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (widget);

  if (self->selected != NULL)
    open_dialog (self, self->selected);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (widget);

  if (self->session == NULL || self->selected == NULL)
    return;

  epsimo_project_delete_flow_async (widget, self->session, self->selected, self->cancellable,
                                    delete_cb, self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  epsimo_project_list_reload (EPSIMO_PROJECT_LIST (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
epsimo_project_list_dispose (GObject *object)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_handle_id (&self->sync_idle_id, g_source_remove);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->selected);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (epsimo_project_list_parent_class)->dispose (object);
}

static void
epsimo_project_list_finalize (GObject *object)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (object);

  g_free (self->pending_id);

  G_OBJECT_CLASS (epsimo_project_list_parent_class)->finalize (object);
}

static void
epsimo_project_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SELECTED_PROJECT:
      g_value_set_object (value, self->selected);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, epsimo_project_list_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoProjectList *self = EPSIMO_PROJECT_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_project_list_set_session (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_PROJECT:
      epsimo_project_list_set_selected_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Enter, a double click, or a click on the project already selected: the user asks for
 * its page (the window shows it when folded over the list). */
static void
on_row_activated (EpsimoProjectList *self,
                  guint              position)
{
  g_autoptr(EpsimoProject) project = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                            position);

  if (project == NULL)
    return;
  if (project != self->selected)
    gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
epsimo_project_list_class_init (EpsimoProjectListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_project_list_dispose;
  object_class->finalize = epsimo_project_list_finalize;
  object_class->get_property = epsimo_project_list_get_property;
  object_class->set_property = epsimo_project_list_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_PROJECT] =
    g_param_spec_object ("selected-project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the projects are being listed (the first time or a refresh). */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoProjectList::project-activated:
   * @project: the project, now the selected one
   *
   * The user asked for the project's page (not only moved the selection).
   */
  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EPSIMO_TYPE_PROJECT);

  gtk_widget_class_install_action (widget_class, "projects.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "projects.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "projects.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "projects.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "projects.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "projects.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "projects.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "projects.refresh", NULL);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  g_type_ensure (EPSIMO_TYPE_PROJECT);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/projects/epsimo-project-list.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, list_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, empty_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectList, refresh_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
}

static void
epsimo_project_list_init (EpsimoProjectList *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkSorter *sorter;
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (self->refresh_button, _("Refresh Projects"));

  self->cancellable = g_cancellable_new ();
  self->store = g_list_store_new (EPSIMO_TYPE_PROJECT);

  /* Case-insensitive and in the user's language: GtkStringSorter compares
   * g_utf8_collate_key()s of the case-folded names. */
  expression = gtk_property_expression_new (EPSIMO_TYPE_PROJECT, NULL, "name");
  self->filter = gtk_string_filter_new (gtk_expression_ref (expression));
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  sorter = GTK_SORTER (gtk_string_sorter_new (expression));
  gtk_string_sorter_set_ignore_case (GTK_STRING_SORTER (sorter), TRUE);

  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                                  GTK_FILTER (g_object_ref (self->filter)));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)),
                                              sorter);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item_changed), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (on_view_items_changed), self);

  factory = gtk_builder_list_item_factory_new_from_resource (
    NULL, "/com/epsimoagents/Desktop/projects/epsimo-project-row.ui");
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_row_activated), self);
  epsimo_list_click_activates_selected (self->list_view);

  update_actions (self);
  update_view (self);
}

GtkWidget *
epsimo_project_list_new (void)
{
  return g_object_new (EPSIMO_TYPE_PROJECT_LIST, NULL);
}

EpsimoSession *
epsimo_project_list_get_session (EpsimoProjectList *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_LIST (self), NULL);

  return self->session;
}

void
epsimo_project_list_set_session (EpsimoProjectList *self,
                                 EpsimoSession     *session)
{
  g_return_if_fail (EPSIMO_IS_PROJECT_LIST (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (self->session == session)
    return;

  /* Nothing of the previous account survives: its calls, projects and selection. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->session, session);
  self->loaded = FALSE;
  self->load_failed = FALSE;
  epsimo_error_banner_hide (self->banner);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->syncing = TRUE;
  g_list_store_remove_all (self->store);
  self->syncing = FALSE;
  set_selected (self, NULL);
  update_actions (self);
  update_view (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  epsimo_project_list_reload (self);
}

gboolean
epsimo_project_list_get_loading (EpsimoProjectList *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_LIST (self), FALSE);

  return self->load_cancellable != NULL;
}

EpsimoProject *
epsimo_project_list_get_selected_project (EpsimoProjectList *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_LIST (self), NULL);

  return self->selected;
}

void
epsimo_project_list_set_selected_project (EpsimoProjectList *self,
                                          EpsimoProject     *project)
{
  g_return_if_fail (EPSIMO_IS_PROJECT_LIST (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (project != NULL && !find_in_store (self, project, NULL, NULL))
    {
      /* Another object for a listed project: select the listed one. */
      epsimo_project_list_select_project_id (self, epsimo_project_get_id (project));
      return;
    }

  set_selected (self, project);
  sync_selection (self);
}

gboolean
epsimo_project_list_select_project_id (EpsimoProjectList *self,
                                       const char        *project_id)
{
  guint position;
  g_autoptr(EpsimoProject) project = NULL;

  g_return_val_if_fail (EPSIMO_IS_PROJECT_LIST (self), FALSE);

  if (project_id == NULL || *project_id == '\0')
    return FALSE;

  if (!self->loaded)
    {
      g_free (self->pending_id);
      self->pending_id = g_strdup (project_id);
      return TRUE;
    }

  if (!find_in_store (self, NULL, project_id, &position))
    return FALSE;

  project = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  if (find_in_view (self, project) == GTK_INVALID_LIST_POSITION)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  set_selected (self, project);
  sync_selection (self);
  return TRUE;
}

GListModel *
epsimo_project_list_get_model (EpsimoProjectList *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_LIST (self), NULL);

  return G_LIST_MODEL (self->store);
}
