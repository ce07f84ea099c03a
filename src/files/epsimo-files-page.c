/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-files-page"

#include "config.h"

#include <glib/gi18n.h>

#include "widgets/epsimo-error-banner.h"
#include "widgets/epsimo-section-shortcut.h"

#include "epsimo-files-page.h"
#include "epsimo-upload-row.h"

typedef enum
{
  VIEW_NONE,
  VIEW_LOADING,
  VIEW_LOADED,
  VIEW_NO_ASSISTANT,
  VIEW_ERROR,
} ViewState;

struct _EpsimoFilesPage
{
  AdwBin                parent_instance;

  EpsimoSession        *session;
  EpsimoProject        *project;
  GCancellable         *cancellable;       /* the page's life: deletions */
  GCancellable         *load_cancellable;  /* the listing in progress */
  EpsimoDialect         dialect;
  char                 *assistant_id;      /* live: the chosen assistant */
  ViewState             view;
  gboolean              loading;
  gboolean              reload_when_loaded;
  guint                 filling_assistants;

  GListStore           *files;
  GListStore           *assistants;
  GtkStringFilter      *name_filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;

  EpsimoUploadQueue    *queue;
  GtkCustomFilter      *queue_filter;
  GtkFilterListModel   *queue_model;

  GtkFileChooserNative *chooser;
  GtkWidget            *delete_dialog;     /* weak */

  GtkRevealer          *drop_revealer;
  EpsimoErrorBanner    *banner;
  GtkWidget            *assistant_box;
  GtkDropDown          *assistant_dropdown;
  GtkWidget            *assistant_note;
  GtkSearchEntry       *search_entry;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *name_column;
  GtkColumnViewColumn  *size_column;
  GtkColumnViewColumn  *type_column;
  GtkColumnViewColumn  *date_column;
  AdwStatusPage        *empty_page;
  GtkRevealer          *queue_revealer;
  GtkListView          *queue_view;
};

G_DEFINE_FINAL_TYPE (EpsimoFilesPage, epsimo_files_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload     (EpsimoFilesPage *self);
static void load_files (EpsimoFilesPage *self);

static const char *
project_id (EpsimoFilesPage *self)
{
  return self->project != NULL ? epsimo_project_get_id (self->project) : NULL;
}

static gboolean
is_live (EpsimoFilesPage *self)
{
  return self->dialect == EPSIMO_DIALECT_LIVE;
}

/* The assistant the listing and the uploads are for: live servers only. */
static const char *
list_assistant_id (EpsimoFilesPage *self)
{
  return is_live (self) ? self->assistant_id : NULL;
}

static gboolean
can_upload (EpsimoFilesPage *self)
{
  return self->session != NULL && project_id (self) != NULL && self->queue != NULL
         && self->dialect != EPSIMO_DIALECT_UNKNOWN
         && (!is_live (self) || self->assistant_id != NULL);
}

static void
toast (EpsimoFilesPage *self,
       const char      *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static GtkWindow *
parent_window (EpsimoFilesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
update_actions (EpsimoFilesPage *self)
{
  gboolean has_place = self->session != NULL && project_id (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.refresh", has_place);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.upload", can_upload (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.delete",
                                 has_place && self->dialect != EPSIMO_DIALECT_UNKNOWN
                                 && gtk_single_selection_get_selected_item (self->selection)
                                    != NULL);
}

static void
update_view (EpsimoFilesPage *self)
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

    case VIEW_NO_ASSISTANT:
      name = "no-assistant";
      break;

    case VIEW_ERROR:
      name = "error";
      break;

    case VIEW_LOADED:
    default:
      if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
        name = "empty";
      else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
        name = "no-results";
      else
        name = "list";
      break;
    }

  gtk_stack_set_visible_child_name (self->stack, name);
  /* Spinning only while it is shown: no spinner that never stops. */
  gtk_spinner_set_spinning (self->spinner, self->view == VIEW_LOADING);
  update_actions (self);
}

static void
set_view (EpsimoFilesPage *self,
          ViewState        view)
{
  self->view = view;
  update_view (self);
}

static void
update_dialect_widgets (EpsimoFilesPage *self)
{
  gboolean live = is_live (self) && self->project != NULL;

  /* No picker without anything to pick: the page says how to make an assistant. */
  gtk_widget_set_visible (self->assistant_box,
                          live && g_list_model_get_n_items (G_LIST_MODEL (self->assistants)) > 0);
  gtk_widget_set_visible (self->assistant_note, live);
  adw_status_page_set_description (self->empty_page,
                                   live
                                   ? _("Upload documents for this assistant to search, or "
                                       "drop files here.")
                                   : _("Upload documents for the assistants of this project "
                                       "to search, or drop files here."));
}

/* The listing */

static void
restart_load (EpsimoFilesPage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  self->reload_when_loaded = FALSE;
}

static void
load_failed (EpsimoFilesPage *self,
             const GError    *error)
{
  /* Translators: %s says why, e.g. "Could not connect to the server." */
  g_autofree char *message = g_strdup_printf (_("Could not load the files: %s"),
                                              error->message);

  g_debug ("Listing files failed: %s", error->message);
  self->loading = FALSE;
  epsimo_error_banner_set_message (self->banner, message);
  epsimo_error_banner_reveal (self->banner);
  /* What was listed before stays: only an empty view shows the error page. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
    set_view (self, VIEW_ERROR);
  else
    set_view (self, VIEW_LOADED);
}

static void
files_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EpsimoFilesPage *self;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  files = epsimo_files_service_list_finish (EPSIMO_FILES_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_FILES_PAGE (user_data);

  if (files == NULL)
    {
      load_failed (self, error);
      return;
    }

  self->loading = FALSE;
  g_list_store_splice (self->files, 0, g_list_model_get_n_items (G_LIST_MODEL (self->files)),
                       files->pdata, files->len);
  epsimo_error_banner_hide (self->banner);
  set_view (self, VIEW_LOADED);

  /* An upload finished while this listing was on its way: it may have missed it. */
  if (self->reload_when_loaded)
    load_files (self);
}

static void
load_files (EpsimoFilesPage *self)
{
  restart_load (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
    set_view (self, VIEW_LOADING);

  epsimo_files_service_list_async (epsimo_session_get_files (self->session),
                                   project_id (self), list_assistant_id (self),
                                   self->load_cancellable, files_listed_cb, self);
}

static void
select_assistant (EpsimoFilesPage *self,
                  guint            position)
{
  self->filling_assistants++;
  gtk_drop_down_set_selected (self->assistant_dropdown, position);
  self->filling_assistants--;
}

static void
assistants_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EpsimoFilesPage *self;
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(GError) error = NULL;
  guint position = 0;

  assistants = epsimo_assistants_service_list_finish (EPSIMO_ASSISTANTS_SERVICE (source),
                                                      result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_FILES_PAGE (user_data);

  if (assistants == NULL)
    {
      load_failed (self, error);
      return;
    }

  /* Keep the assistant that was chosen, when it is still there. */
  for (guint i = 0; i < assistants->len; i++)
    if (g_strcmp0 (epsimo_assistant_get_id (g_ptr_array_index (assistants, i)),
                   self->assistant_id) == 0)
      position = i;

  self->filling_assistants++;
  g_list_store_splice (self->assistants, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->assistants)),
                       assistants->pdata, assistants->len);
  self->filling_assistants--;
  update_dialect_widgets (self);

  if (assistants->len == 0)
    {
      g_clear_pointer (&self->assistant_id, g_free);
      self->loading = FALSE;
      g_list_store_remove_all (self->files);
      epsimo_error_banner_hide (self->banner);
      gtk_filter_changed (GTK_FILTER (self->queue_filter), GTK_FILTER_CHANGE_DIFFERENT);
      set_view (self, VIEW_NO_ASSISTANT);
      return;
    }

  select_assistant (self, position);
  g_free (self->assistant_id);
  self->assistant_id = g_strdup (epsimo_assistant_get_id (g_ptr_array_index (assistants,
                                                                             position)));
  gtk_filter_changed (GTK_FILTER (self->queue_filter), GTK_FILTER_CHANGE_DIFFERENT);
  load_files (self);
}

static void
dialect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EpsimoFilesPage *self;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source), result,
                                                       &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_FILES_PAGE (user_data);

  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      load_failed (self, error);
      return;
    }

  self->dialect = dialect;
  update_dialect_widgets (self);
  gtk_filter_changed (GTK_FILTER (self->queue_filter), GTK_FILTER_CHANGE_DIFFERENT);

  if (is_live (self))
    epsimo_assistants_service_list_async (epsimo_session_get_assistants (self->session),
                                          project_id (self), self->load_cancellable,
                                          assistants_listed_cb, self);
  else
    load_files (self);
}

/* Lists everything again: the dialect (once per server), the assistants (live) and the
 * files. What is listed stays shown meanwhile. */
static void
reload (EpsimoFilesPage *self)
{
  restart_load (self);

  if (self->session == NULL || project_id (self) == NULL)
    {
      self->loading = FALSE;
      g_list_store_remove_all (self->files);
      self->filling_assistants++;
      g_list_store_remove_all (self->assistants);
      self->filling_assistants--;
      epsimo_error_banner_hide (self->banner);
      update_dialect_widgets (self);
      set_view (self, VIEW_NONE);
      return;
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
    set_view (self, VIEW_LOADING);

  epsimo_auth_service_ensure_dialect_async (epsimo_session_get_auth (self->session),
                                            self->load_cancellable, dialect_cb, self);
}

static void
on_banner_retry (EpsimoFilesPage *self)
{
  reload (self);
}

static void
on_assistant_selected (EpsimoFilesPage *self)
{
  EpsimoAssistant *assistant;

  if (self->filling_assistants > 0)
    return;

  assistant = gtk_drop_down_get_selected_item (self->assistant_dropdown);
  if (assistant == NULL
      || g_strcmp0 (epsimo_assistant_get_id (assistant), self->assistant_id) == 0)
    return;

  g_free (self->assistant_id);
  self->assistant_id = g_strdup (epsimo_assistant_get_id (assistant));
  gtk_filter_changed (GTK_FILTER (self->queue_filter), GTK_FILTER_CHANGE_DIFFERENT);

  /* Another assistant's files: the previous list must not show meanwhile. */
  g_list_store_remove_all (self->files);
  load_files (self);
}

/* Filtering and sorting */

static void
on_search_changed (EpsimoFilesPage *self)
{
  gtk_string_filter_set_search (self->name_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_filtered_changed (EpsimoFilesPage *self)
{
  if (self->view == VIEW_LOADED)
    update_view (self);
}

static void
on_selection_changed (EpsimoFilesPage *self)
{
  update_actions (self);
}

static char *
file_type_text (EpsimoFile *file,
                gpointer    user_data)
{
  const char *mime_type = epsimo_file_get_mime_type (file);
  g_autofree char *content_type = NULL;

  if (mime_type == NULL || *mime_type == '\0')
    return g_strdup (_("Unknown"));

  content_type = g_content_type_from_mime_type (mime_type);
  if (content_type == NULL)
    return g_strdup (mime_type);

  return g_content_type_get_description (content_type);
}

static gint64
file_unix_time (EpsimoFile *file,
                gpointer    user_data)
{
  GDateTime *date = epsimo_file_get_uploaded_at (file);

  return date != NULL ? g_date_time_to_unix (date) : 0;
}

static void
setup_sorting (EpsimoFilesPage *self)
{
  g_autoptr(GtkSorter) name_sorter = NULL;
  g_autoptr(GtkSorter) size_sorter = NULL;
  g_autoptr(GtkSorter) type_sorter = NULL;
  g_autoptr(GtkSorter) date_sorter = NULL;
  g_autoptr(GtkSortListModel) sorted = NULL;
  GtkSorter *view_sorter;

  name_sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (EPSIMO_TYPE_FILE, NULL, "filename")));
  size_sorter = GTK_SORTER (gtk_numeric_sorter_new (
    gtk_property_expression_new (EPSIMO_TYPE_FILE, NULL, "size")));
  type_sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                 G_CALLBACK (file_type_text), NULL, NULL)));
  date_sorter = GTK_SORTER (gtk_numeric_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_INT64, NULL, 0, NULL,
                                 G_CALLBACK (file_unix_time), NULL, NULL)));

  gtk_column_view_column_set_sorter (self->name_column, name_sorter);
  gtk_column_view_column_set_sorter (self->size_column, size_sorter);
  gtk_column_view_column_set_sorter (self->type_column, type_sorter);
  gtk_column_view_column_set_sorter (self->date_column, date_sorter);

  self->name_filter = gtk_string_filter_new (
    gtk_property_expression_new (EPSIMO_TYPE_FILE, NULL, "filename"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);

  /* store -> filter by name -> sort by the clicked column -> selection */
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->files)),
                                              g_object_ref (GTK_FILTER (self->name_filter)));
  g_signal_connect_swapped (self->filtered, "items-changed",
                            G_CALLBACK (on_filtered_changed), self);

  view_sorter = gtk_column_view_get_sorter (self->column_view);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                    g_object_ref (view_sorter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);
}

/* The cells of the list */

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            EpsimoFilesPage          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EpsimoFilesPage          *self)
{
  EpsimoFile *file = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  const char *mime_type = epsimo_file_get_mime_type (file);
  g_autofree char *content_type = NULL;
  g_autoptr(GIcon) gicon = NULL;

  /* Server names are display text only (never a path, never markup). */
  gtk_label_set_text (GTK_LABEL (label), epsimo_file_get_filename (file));
  gtk_widget_set_tooltip_text (label, epsimo_file_get_filename (file));

  if (mime_type != NULL && (content_type = g_content_type_from_mime_type (mime_type)) != NULL)
    gicon = g_content_type_get_symbolic_icon (content_type);
  if (gicon != NULL)
    gtk_image_set_from_gicon (GTK_IMAGE (icon), gicon);
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "text-x-generic-symbolic");
}

static void
size_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            EpsimoFilesPage          *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
size_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EpsimoFilesPage          *self)
{
  EpsimoFile *file = gtk_list_item_get_item (item);
  g_autofree char *size = g_format_size (epsimo_file_get_size (file));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), size);
}

static void
text_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            EpsimoFilesPage          *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
type_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EpsimoFilesPage          *self)
{
  g_autofree char *text = file_type_text (gtk_list_item_get_item (item), NULL);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
date_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EpsimoFilesPage          *self)
{
  GDateTime *date = epsimo_file_get_uploaded_at (gtk_list_item_get_item (item));
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (date != NULL)
    {
      local = g_date_time_to_local (date);
      /* Translators: when a file was uploaded, in the format of g_date_time_format(),
       * e.g. "May 14, 2024 09:30" */
      text = g_date_time_format (local, _("%b %-d, %Y %H:%M"));
    }

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

/* The upload queue */

static void
upload_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              EpsimoFilesPage          *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, epsimo_upload_row_new ());
}

static void
upload_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             EpsimoFilesPage          *self)
{
  epsimo_upload_row_set_upload (EPSIMO_UPLOAD_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
upload_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               EpsimoFilesPage          *self)
{
  epsimo_upload_row_set_upload (EPSIMO_UPLOAD_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Whether @upload goes where the page is looking. */
static gboolean
upload_is_shown (EpsimoUpload    *upload,
                 EpsimoFilesPage *self)
{
  if (project_id (self) == NULL
      || g_strcmp0 (epsimo_upload_get_project_id (upload), project_id (self)) != 0)
    return FALSE;

  return !is_live (self)
         || g_strcmp0 (epsimo_upload_get_assistant_id (upload), self->assistant_id) == 0;
}

static gboolean
queue_filter_func (gpointer item,
                   gpointer user_data)
{
  return upload_is_shown (EPSIMO_UPLOAD (item), EPSIMO_FILES_PAGE (user_data));
}

static void
on_queue_changed (EpsimoFilesPage *self)
{
  gtk_revealer_set_reveal_child (self->queue_revealer,
                                 g_list_model_get_n_items (G_LIST_MODEL (self->queue_model))
                                 > 0);
}

static void
on_upload_done (EpsimoFilesPage *self,
                EpsimoUpload    *upload)
{
  EpsimoFile *file = epsimo_upload_get_result (upload);
  guint n;

  if (file == NULL || !upload_is_shown (upload, self))
    return;

  if (self->loading)
    {
      self->reload_when_loaded = TRUE;
      return;
    }

  /* The same id again (a server that replaces by name) replaces the old entry. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoFile) listed = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      if (g_strcmp0 (epsimo_file_get_id (listed), epsimo_file_get_id (file)) == 0)
        {
          g_list_store_remove (self->files, i);
          break;
        }
    }
  g_list_store_append (self->files, file);

  if (self->view != VIEW_NO_ASSISTANT)
    set_view (self, VIEW_LOADED);
}

static void
set_queue (EpsimoFilesPage   *self,
           EpsimoUploadQueue *queue)
{
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      epsimo_upload_queue_cancel_all (self->queue);
      g_clear_object (&self->queue);
    }

  if (queue != NULL)
    {
      self->queue = g_object_ref (queue);
      g_signal_connect_swapped (self->queue, "upload-done", G_CALLBACK (on_upload_done), self);
    }

  if (self->queue_model != NULL)
    gtk_filter_list_model_set_model (self->queue_model, G_LIST_MODEL (self->queue));
}

GPtrArray *
epsimo_files_page_upload_files (EpsimoFilesPage *self,
                                GListModel      *files,
                                const char      *assistant_id)
{
  GPtrArray *uploads;
  guint n;

  g_return_val_if_fail (EPSIMO_IS_FILES_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (files), NULL);

  uploads = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->queue == NULL || project_id (self) == NULL)
    return uploads;

  if (assistant_id == NULL)
    assistant_id = list_assistant_id (self);

  n = g_list_model_get_n_items (files);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (files, i);

      if (G_IS_FILE (item))
        g_ptr_array_add (uploads,
                         g_object_ref (epsimo_upload_queue_add (self->queue, G_FILE (item),
                                                                project_id (self),
                                                                assistant_id)));
    }

  return uploads;
}

/* Upload: the file chooser */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     EpsimoFilesPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      g_ptr_array_unref (epsimo_files_page_upload_files (self, files, NULL));
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
upload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoFilesPage *self = EPSIMO_FILES_PAGE (widget);

  if (!can_upload (self) || self->chooser != NULL)
    return;

  /* Inside Flatpak the native chooser goes through the portal by itself. */
  self->chooser = gtk_file_chooser_native_new (_("Upload Files"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Upload"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Upload: drag and drop */

static GdkDragAction
on_drop_enter (GtkDropTarget   *target,
               double           x,
               double           y,
               EpsimoFilesPage *self)
{
  if (!can_upload (self))
    return 0;

  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget   *target,
               EpsimoFilesPage *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         EpsimoFilesPage *self)
{
  g_autoptr(GListStore) files = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  GdkFileList *file_list;
  GSList *list;

  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST)
      || (file_list = g_value_get_boxed (value)) == NULL)
    return FALSE;

  if (!can_upload (self))
    {
      if (self->session != NULL && project_id (self) != NULL && is_live (self))
        toast (self, _("Choose an assistant first: on this server, files belong to an "
                       "assistant"));
      return FALSE;
    }

  files = g_list_store_new (G_TYPE_FILE);
  list = gdk_file_list_get_files (file_list);
  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  g_slist_free (list);

  uploads = epsimo_files_page_upload_files (self, G_LIST_MODEL (files), NULL);
  return uploads->len > 0;
}

/* Delete */

typedef struct
{
  EpsimoFilesPage *self;   /* not a reference: the page cancels the call when it goes */
  EpsimoFile      *file;
  char            *project_id;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->file);
  g_free (data->project_id);
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
  EpsimoFilesPage *self;
  const char *name = epsimo_file_get_filename (data->file);

  if (!epsimo_files_service_delete_finish (EPSIMO_FILES_SERVICE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Translators: a file name, then why it could not be deleted */
      message = g_strdup_printf (_("Could not delete “%s”: %s"), name, error->message);
      toast (data->self, message);
      return;
    }

  self = data->self;
  if (g_strcmp0 (project_id (self), data->project_id) == 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EpsimoFile) listed = g_list_model_get_item (G_LIST_MODEL (self->files), i);

          if (g_strcmp0 (epsimo_file_get_id (listed), epsimo_file_get_id (data->file)) == 0)
            {
              g_list_store_remove (self->files, i);
              break;
            }
        }
      if (self->view == VIEW_LOADED)
        update_view (self);
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("“%s” deleted"), name);
  toast (self, message);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    EpsimoFilesPage  *self)
{
  EpsimoFile *file = g_object_get_data (G_OBJECT (dialog), "epsimo-file");
  const char *file_project = g_object_get_data (G_OBJECT (dialog), "epsimo-project-id");
  const char *file_assistant = g_object_get_data (G_OBJECT (dialog), "epsimo-assistant-id");
  DeleteData *data;

  if (g_strcmp0 (response, "delete") != 0 || file == NULL || file_project == NULL
      || self->session == NULL)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = self;
  data->file = g_object_ref (file);
  data->project_id = g_strdup (file_project);
  epsimo_files_service_delete_async (epsimo_session_get_files (self->session),
                                     file_project, file_assistant,
                                     epsimo_file_get_id (file), self->cancellable,
                                     delete_cb, data);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoFilesPage *self = EPSIMO_FILES_PAGE (widget);
  EpsimoFile *file = gtk_single_selection_get_selected_item (self->selection);
  GtkWidget *dialog;

  if (file == NULL || self->delete_dialog != NULL)
    return;

  dialog = adw_message_dialog_new (parent_window (self), NULL,
                                   _("The file is removed from the server, and assistants "
                                     "can no longer search it. This cannot be undone."));
  /* Translators: %s is a file name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     epsimo_file_get_filename (file));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Where the file was listed: the page may show another place by the time of the answer. */
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-file", g_object_ref (file),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-project-id",
                          g_strdup (project_id (self)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "epsimo-assistant-id",
                          g_strdup (list_assistant_id (self)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);

  g_set_weak_pointer (&self->delete_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A confirmation about another account's or project's file must not outlive the switch. */
static void
close_delete_dialog (EpsimoFilesPage *self)
{
  if (self->delete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->delete_dialog));
  g_clear_weak_pointer (&self->delete_dialog);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  reload (EPSIMO_FILES_PAGE (widget));
}

/* GObject */

static void
epsimo_files_page_dispose (GObject *object)
{
  EpsimoFilesPage *self = (EpsimoFilesPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  close_delete_dialog (self);

  /* The uploads die with the page that shows them. */
  set_queue (self, NULL);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->queue_model != NULL)
    g_signal_handlers_disconnect_by_data (self->queue_model, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_FILES_PAGE);

  g_clear_object (&self->session);
  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->name_filter);
  g_clear_object (&self->files);
  g_clear_object (&self->assistants);
  g_clear_object (&self->queue_model);
  g_clear_object (&self->queue_filter);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);

  G_OBJECT_CLASS (epsimo_files_page_parent_class)->dispose (object);
}

static void
epsimo_files_page_finalize (GObject *object)
{
  EpsimoFilesPage *self = (EpsimoFilesPage *)object;

  g_clear_pointer (&self->assistant_id, g_free);

  G_OBJECT_CLASS (epsimo_files_page_parent_class)->finalize (object);
}

static void
epsimo_files_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EpsimoFilesPage *self = EPSIMO_FILES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_files_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EpsimoFilesPage *self = EPSIMO_FILES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_files_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      epsimo_files_page_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_files_page_class_init (EpsimoFilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_files_page_dispose;
  object_class->finalize = epsimo_files_page_finalize;
  object_class->get_property = epsimo_files_page_get_property;
  object_class->set_property = epsimo_files_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "files.upload", NULL, upload_activated);
  gtk_widget_class_install_action (widget_class, "files.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "files.refresh", NULL, refresh_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "files.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "files.refresh", NULL);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  g_type_ensure (EPSIMO_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/files/epsimo-files-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, assistant_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, assistant_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, assistant_note);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, size_column);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, type_column);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, date_column);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, queue_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoFilesPage, queue_view);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_assistant_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, name_setup);
  gtk_widget_class_bind_template_callback (widget_class, name_bind);
  gtk_widget_class_bind_template_callback (widget_class, size_setup);
  gtk_widget_class_bind_template_callback (widget_class, size_bind);
  gtk_widget_class_bind_template_callback (widget_class, text_setup);
  gtk_widget_class_bind_template_callback (widget_class, type_bind);
  gtk_widget_class_bind_template_callback (widget_class, date_bind);
  gtk_widget_class_bind_template_callback (widget_class, upload_setup);
  gtk_widget_class_bind_template_callback (widget_class, upload_bind);
  gtk_widget_class_bind_template_callback (widget_class, upload_unbind);
}

static void
epsimo_files_page_init (EpsimoFilesPage *self)
{
  g_autoptr(GtkNoSelection) queue_selection = NULL;
  GtkDropTarget *drop_target;

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->files = g_list_store_new (EPSIMO_TYPE_FILE);
  self->assistants = g_list_store_new (EPSIMO_TYPE_ASSISTANT);

  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_section_shortcut_add (GTK_WIDGET (self), "<Control>u", "files.upload");

  setup_sorting (self);

  {
    /* The drop-down takes its own reference. */
    g_autoptr(GtkExpression) name = gtk_property_expression_new (EPSIMO_TYPE_ASSISTANT, NULL,
                                                                 "name");

    gtk_drop_down_set_expression (self->assistant_dropdown, name);
  }
  self->filling_assistants++;
  gtk_drop_down_set_model (self->assistant_dropdown, G_LIST_MODEL (self->assistants));
  self->filling_assistants--;

  self->queue_filter = gtk_custom_filter_new (queue_filter_func, self, NULL);
  self->queue_model = gtk_filter_list_model_new (NULL,
                                                 g_object_ref (GTK_FILTER (self->queue_filter)));
  g_signal_connect_swapped (self->queue_model, "items-changed",
                            G_CALLBACK (on_queue_changed), self);
  queue_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->queue_model)));
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (queue_selection));

  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  update_dialect_widgets (self);
  set_view (self, VIEW_NONE);
}

GtkWidget *
epsimo_files_page_new (void)
{
  return g_object_new (EPSIMO_TYPE_FILES_PAGE, NULL);
}

EpsimoSession *
epsimo_files_page_get_session (EpsimoFilesPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_PAGE (self), NULL);

  return self->session;
}

void
epsimo_files_page_set_session (EpsimoFilesPage *self,
                               EpsimoSession   *session)
{
  g_autoptr(EpsimoUploadQueue) queue = NULL;

  g_return_if_fail (EPSIMO_IS_FILES_PAGE (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  /* Nothing of the previous account survives: its uploads stop, its lists go. */
  close_delete_dialog (self);
  if (session != NULL)
    queue = epsimo_upload_queue_new (epsimo_session_get_files (session));
  set_queue (self, queue);
  self->dialect = EPSIMO_DIALECT_UNKNOWN;
  g_clear_pointer (&self->assistant_id, g_free);
  g_list_store_remove_all (self->files);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_files_page_get_project (EpsimoFilesPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_PAGE (self), NULL);

  return self->project;
}

void
epsimo_files_page_set_project (EpsimoFilesPage *self,
                               EpsimoProject   *project)
{
  g_return_if_fail (EPSIMO_IS_FILES_PAGE (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  /* Uploads to the previous project go on; they show again when it is chosen again. */
  close_delete_dialog (self);
  g_clear_pointer (&self->assistant_id, g_free);
  g_list_store_remove_all (self->files);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_filter_changed (GTK_FILTER (self->queue_filter), GTK_FILTER_CHANGE_DIFFERENT);
  reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

EpsimoUploadQueue *
epsimo_files_page_get_queue (EpsimoFilesPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_PAGE (self), NULL);

  return self->queue;
}
