//! Demo staff accounts: the centre's intake staff, consultants (trajectbegeleiders) and a
//! coordinator, without SSH keys (add one with `koppel user add-key`).

use crate::domain::staff::{Role, StaffAccount};

/// (login, display name, role) of the demo staff.
const STAFF: &[(&str, &str, Role)] = &[
    ("fatima", "Fatima el Amrani", Role::Intake),
    ("kees", "Kees de Boer", Role::Intake),
    ("marloes", "Marloes Jansen", Role::Consultant),
    ("sander", "Sander Visser", Role::Consultant),
    ("ayse", "Ayşe Yılmaz", Role::Consultant),
    ("ingrid", "Ingrid Bakker", Role::Coordinator),
];

/// The demo staff accounts.
pub fn staff() -> Vec<StaffAccount> {
    STAFF
        .iter()
        .filter_map(|(login, name, role)| StaffAccount::new(login, name, *role, &[]).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_account_is_valid_and_every_role_but_admin_is_there() {
        let s = staff();
        assert_eq!(s.len(), STAFF.len());
        for role in [Role::Intake, Role::Consultant, Role::Coordinator] {
            assert!(s.iter().any(|a| a.role == role), "{role:?}");
        }
        assert!(s.iter().filter(|a| a.role == Role::Consultant).count() >= 3);
    }
}
