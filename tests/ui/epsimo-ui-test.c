/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-ui-test"

#include "config.h"

#include "epsimo-ui-test.h"

void
epsimo_ui_test_init (int    *argc,
                     char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
}

EpsimoApplication *
epsimo_ui_test_start_app (void)
{
  static guint started;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EpsimoApplication *app = epsimo_application_new ();

  /* A fresh id for each start: a test may start the app again (a restart) while the bus
   * still holds the previous instance's objects. */
  id = g_strdup_printf ("%s.Test%u", APPLICATION_ID, ++started);
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  epsimo_ui_test_spin (50);

  return app;
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
epsimo_ui_test_wait_for (EpsimoUiTestCondition condition,
                         gpointer              data,
                         guint                 timeout_ms)
{
  const char *scale = g_getenv ("EPSIMO_TEST_TIME_SCALE");
  gboolean timed_out = FALSE;
  guint id;

  /* `build-aux/dev test --sanitize` runs the programs many times slower: its limits grow
   * with EPSIMO_TEST_TIME_SCALE (a wait still ends as soon as the condition holds). */
  if (scale != NULL)
    timeout_ms = (guint) MIN (timeout_ms * MAX (g_ascii_strtod (scale, NULL), 1.0),
                              (double) G_MAXUINT);
  id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

void
epsimo_ui_test_spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

GtkWidget *
epsimo_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* owned by GTK */
  GtkWidget *found = NULL;
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n && found == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (window))
        found = window;
    }

  return found;
}

static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  if (GTK_IS_EDITABLE (widget))
    return gtk_editable_get_text (GTK_EDITABLE (widget));
  return NULL;
}

GtkWidget *
epsimo_ui_test_find_widget (GtkWidget  *root,
                            GType       type,
                            const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (text == NULL || g_strcmp0 (widget_text (root), text) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = epsimo_ui_test_find_widget (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && *text != '\0')
        g_ptr_array_add (texts, g_strdup (text));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

GPtrArray *
epsimo_ui_test_collect_texts (GtkWidget *root)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  collect_texts (root, texts);
  return texts;
}

gboolean
epsimo_ui_test_leaflet_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (leaflet));
}

gboolean
epsimo_ui_test_leaflet_unfolded (gpointer leaflet)
{
  return !adw_leaflet_get_folded (ADW_LEAFLET (leaflet));
}

guint
epsimo_ui_test_count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}
