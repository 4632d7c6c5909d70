//! State of a volunteer list (the Volunteers and Intakes screens): selection, scrolling,
//! the `/` filter, quick filters on status and municipality, and the cached filtered view.
//! The view is recomputed only when the model version or a filter changes, never per frame.

use crate::domain::volunteer::Status;
use crate::readmodel::search::Search;
use crate::readmodel::{ReadModel, VolunteerRow};
use std::cell::Cell;
use tui_input::Input;

/// Which rows a list shows before the user's own filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Every volunteer.
    All,
    /// The intake queue: people with status New, longest waiting first.
    IntakeQueue,
}

/// One list's state.
pub struct ListState {
    pub preset: Preset,
    /// Index into `view` of the selected row.
    pub selected: usize,
    /// First visible index into `view`.
    pub offset: Cell<usize>,
    /// Rows visible at the last draw (for page moves).
    pub page: Cell<usize>,
    pub filter: Input,
    /// Typing goes into the filter.
    pub filtering: bool,
    pub status: Option<Status>,
    pub municipality: Option<String>,
    search: Search,
    /// Row indices into the model's volunteer list.
    view: Vec<u32>,
    /// The selected person, remembered across model changes.
    anchor: Option<u64>,
    /// (model version, query, status, municipality) the view was built for.
    built_for: Option<(u64, String, Option<Status>, Option<String>)>,
}

impl ListState {
    pub fn new(preset: Preset) -> Self {
        ListState {
            preset,
            selected: 0,
            offset: Cell::new(0),
            page: Cell::new(10),
            filter: Input::default(),
            filtering: false,
            status: None,
            municipality: None,
            search: Search::default(),
            view: Vec::new(),
            anchor: None,
            built_for: None,
        }
    }

    /// Rebuilds the filtered view if the model or a filter changed. Keeps the selection on the
    /// same person when possible.
    pub fn refresh(&mut self, model: &ReadModel) {
        let key = (
            model.version(),
            self.filter.value().to_string(),
            self.status,
            self.municipality.clone(),
        );
        // While the view still belongs to this model version, remember who is selected, so a
        // change by someone else keeps the selection on the same person.
        if self
            .built_for
            .as_ref()
            .is_some_and(|k| k.0 == model.version())
        {
            self.anchor = self.selected_row(model).map(|r| r.id);
        }
        if self.built_for.as_ref() == Some(&key) {
            return;
        }
        let selected_id = self.anchor;
        let rows = model.volunteers();
        let preset = self.preset;
        let status = self.status;
        let muni = self.municipality.clone();
        let keep = |r: &VolunteerRow| {
            (preset != Preset::IntakeQueue || r.status == Status::New)
                && status.is_none_or(|s| r.status == s)
                && muni.as_deref().is_none_or(|m| r.municipality == m)
        };
        // Without quick filters every hit is kept: skip reading the rows, which the ranked
        // order visits at random (a cache miss each).
        let keep_all = preset == Preset::All && status.is_none() && muni.is_none();
        self.view = match self
            .search
            .run(model.haystacks(), model.version(), self.filter.value())
        {
            Some(hits) if keep_all => hits.to_vec(),
            Some(hits) => hits
                .iter()
                .copied()
                .filter(|&i| keep(&rows[i as usize]))
                .collect(),
            None if keep_all => (0..rows.len() as u32).collect(),
            None => (0..rows.len() as u32)
                .filter(|&i| keep(&rows[i as usize]))
                .collect(),
        };
        if preset == Preset::IntakeQueue && self.filter.value().trim().is_empty() {
            // A queue: who has waited longest comes first (stable, so name order breaks ties).
            self.view.sort_by_key(|&i| rows[i as usize].intake_date);
        }
        let query_changed = self
            .built_for
            .as_ref()
            .is_some_and(|(_, q, _, _)| *q != key.1);
        self.built_for = Some(key);
        if query_changed {
            // A new search starts at its best match.
            self.selected = 0;
        } else if let Some(id) = selected_id
            && let Some(pos) = self.view.iter().position(|&i| rows[i as usize].id == id)
        {
            // Someone saved: stay on the same person.
            self.selected = pos;
        }
        self.clamp();
        self.anchor = self.selected_row(model).map(|r| r.id);
    }

    fn clamp(&mut self) {
        if self.view.is_empty() {
            self.selected = 0;
        } else if self.selected >= self.view.len() {
            self.selected = self.view.len() - 1;
        }
    }

    /// The filtered rows, as indices into the model's list.
    pub fn view(&self) -> &[u32] {
        &self.view
    }

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    pub fn selected_row<'m>(&self, model: &'m ReadModel) -> Option<&'m VolunteerRow> {
        let i = *self.view.get(self.selected)?;
        model.volunteers().get(i as usize)
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let last = self.view.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    pub fn home(&mut self) {
        self.selected = 0;
    }

    pub fn end(&mut self) {
        self.selected = self.view.len().saturating_sub(1);
    }

    pub fn page_size(&self) -> isize {
        self.page.get().max(1) as isize
    }

    /// Cycles the status filter: all → New → … → Inactive → all.
    pub fn cycle_status(&mut self) {
        self.status = match self.status {
            None => Some(Status::ALL[0]),
            Some(s) => Status::ALL
                .iter()
                .position(|x| *x == s)
                .and_then(|i| Status::ALL.get(i + 1))
                .copied(),
        };
        self.selected = 0;
    }

    /// Cycles the municipality filter through `list`.
    pub fn cycle_municipality(&mut self, list: &[String]) {
        self.municipality = match &self.municipality {
            None => list.first().cloned(),
            Some(m) => list
                .iter()
                .position(|x| x == m)
                .and_then(|i| list.get(i + 1))
                .cloned(),
        };
        self.selected = 0;
    }

    pub fn clear_filters(&mut self) {
        self.status = None;
        self.municipality = None;
        self.filter.reset();
        self.filtering = false;
    }

    /// Selects the row of volunteer `id` if it is in the view.
    pub fn select_id(&mut self, model: &ReadModel, id: u64) {
        self.refresh(model);
        if let Some(pos) = self.view.iter().position(|&i| {
            model
                .volunteers()
                .get(i as usize)
                .is_some_and(|r| r.id == id)
        }) {
            self.selected = pos;
        }
    }

    /// Keeps the selection on screen for a window of `height` rows; returns the first row.
    pub fn scroll_for(&self, height: usize) -> usize {
        let mut offset = self.offset.get();
        if self.selected < offset {
            offset = self.selected;
        } else if height > 0 && self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        let max_offset = self.view.len().saturating_sub(height);
        offset = offset.min(max_offset);
        self.offset.set(offset);
        self.page.set(height);
        offset
    }
}
