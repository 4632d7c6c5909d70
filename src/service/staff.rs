//! Staff accounts: who may work with koppel, as what, and with which SSH keys. Changes are for
//! administrators; every change writes its audit event in the same transaction. The login name
//! and every key fingerprint are unique indexes of the store, so two accounts can never share
//! either, whoever writes; the checks here come first only to say so beside the field.
//!
//! Account changes are made one at a time within a process (`accounts` lock), so the check that
//! at least one active administrator remains cannot be raced by two changes at once; only one
//! process opens a store.

use super::{Account, Permission, Reading, Service, ServiceError};
use crate::domain::staff::{Role, SshKey, StaffAccount, check_login, login_from_user_name};
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::staff_index;
use crate::store::{Kind, Stored};

fn invalid(field: Field, problem: Problem) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, problem)])
}

fn unknown(login: &str) -> ServiceError {
    invalid(
        Field::Login,
        Problem::UnknownAccount {
            login: login.to_string(),
        },
    )
}

/// Who the local user is, as [`Service::local_account`] found out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalAccount {
    /// Their account, to act as.
    Found(Account),
    /// The store has accounts, but none with this login name.
    Unknown { login: String },
    /// Their account is deactivated.
    Deactivated { login: String },
    /// The system user name gives no usable login name (only characters a login name cannot
    /// have).
    NoName { user: String },
}

impl Service {
    /// The account with login name `login`, active or not, if there is one; `None` for a
    /// name that is not a valid login name. Needs no acting account: this is how a front end
    /// finds who someone is (the SSH server at login, the command line for the local user),
    /// and how other use cases check an account they are given (a trajectory's consultant:
    /// it must exist and be active, see [`StaffAccount::active`] and [`StaffAccount::role`]).
    pub fn staff_account(&self, login: &str) -> Result<Option<Stored<StaffAccount>>, ServiceError> {
        let Ok(login) = check_login(login) else {
            return Ok(None);
        };
        let ids = self
            .store
            .find::<StaffAccount>(&staff_index::LOGIN, &login)?;
        for id in ids {
            if let Some(s) = self.store.get::<StaffAccount>(id)?
                && s.data.login == login
            {
                return Ok(Some(s));
            }
        }
        Ok(None)
    }

    /// The account that logs in with the key of this fingerprint (`SHA256:…`), active or
    /// not. For the SSH server's public-key login.
    pub fn staff_by_key(
        &self,
        fingerprint: &str,
    ) -> Result<Option<Stored<StaffAccount>>, ServiceError> {
        let ids = self
            .store
            .find::<StaffAccount>(&staff_index::KEY, fingerprint)?;
        for id in ids {
            if let Some(s) = self.store.get::<StaffAccount>(id)?
                && s.data.key_with(fingerprint).is_some()
            {
                return Ok(Some(s));
            }
        }
        Ok(None)
    }

    /// The acting account of an active staff account.
    pub fn account_of(staff: &StaffAccount) -> Account {
        Account {
            name: staff.login.clone(),
            role: staff.role,
        }
    }

    /// Every staff account, active or not, by login name.
    pub fn staff_accounts(&self, who: &Account) -> Result<Vec<Stored<StaffAccount>>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Staff, "staff_accounts"))?;
        let mut out = self
            .store
            .scan::<StaffAccount>()
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| a.data.login.cmp(&b.data.login));
        Ok(out)
    }

    /// The active consultants (who may own trajectories), by display name.
    pub fn active_consultants(
        &self,
        who: &Account,
    ) -> Result<Vec<Stored<StaffAccount>>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Staff, "active_consultants"))?;
        let mut out = Vec::new();
        for id in self
            .store
            .find::<StaffAccount>(&staff_index::ACTIVE_ROLE, Role::Consultant.key())?
        {
            if let Some(s) = self.store.get::<StaffAccount>(id)?
                && s.data.active
                && s.data.role == Role::Consultant
            {
                out.push(s);
            }
        }
        out.sort_by(|a, b| a.data.display_name.cmp(&b.data.display_name));
        Ok(out)
    }

    /// Adds an active account. Administrators only. The login name must be free and every
    /// key valid and used by no other account.
    pub fn add_staff(
        &self,
        who: &Account,
        login: &str,
        display_name: &str,
        role: Role,
        keys: &[&str],
    ) -> Result<Stored<StaffAccount>, ServiceError> {
        self.require(who, Permission::ManageAccounts)?;
        let account =
            StaffAccount::new(login, display_name, role, keys).map_err(ServiceError::Invalid)?;
        let _one_at_a_time = self.accounts_lock();
        self.insert_staff(who, account, "staff_add")
    }

    /// Inserts `account` after checking its name and keys are free.
    fn insert_staff(
        &self,
        who: &Account,
        account: StaffAccount,
        action: &str,
    ) -> Result<Stored<StaffAccount>, ServiceError> {
        if self.staff_account(&account.login)?.is_some() {
            return Err(invalid(Field::Login, Problem::LoginTaken));
        }
        for k in &account.keys {
            self.key_is_free(k, None)?;
        }
        let stamp = self.stamp(who);
        let detail = format!("{} as {}", account.login, account.role.key());
        Ok(self.store.transact(&stamp, |tx| {
            let stored = tx.insert(account.clone())?;
            self.audit(
                tx,
                who,
                action,
                Some((Kind::Staff, stored.meta.id)),
                detail.clone(),
            )?;
            Ok(stored)
        })?)
    }

    /// Refuses a key another account than `owner` logs in with.
    fn key_is_free(&self, key: &SshKey, owner: Option<u64>) -> Result<(), ServiceError> {
        match self.staff_by_key(&key.fingerprint)? {
            Some(other) if Some(other.meta.id) != owner => Err(invalid(
                Field::SshKey,
                Problem::KeyInUse {
                    login: other.data.login,
                },
            )),
            _ => Ok(()),
        }
    }

    /// Gives account `login` another role. Administrators only; the last active
    /// administrator keeps theirs.
    pub fn set_staff_role(
        &self,
        who: &Account,
        login: &str,
        role: Role,
    ) -> Result<Stored<StaffAccount>, ServiceError> {
        self.change_staff(who, login, "staff_set_role", |a, service| {
            if a.role == Role::Admin && role != Role::Admin && a.active {
                service.keep_an_admin()?;
            }
            a.role = role;
            Ok(format!("{} to {}", a.login, role.key()))
        })
    }

    /// Deactivates account `login`: it can no longer log in or act, and stays for the
    /// history it made. Administrators only; the last active administrator stays.
    pub fn deactivate_staff(
        &self,
        who: &Account,
        login: &str,
    ) -> Result<Stored<StaffAccount>, ServiceError> {
        self.change_staff(who, login, "staff_deactivate", |a, service| {
            if a.role == Role::Admin && a.active {
                service.keep_an_admin()?;
            }
            a.active = false;
            Ok(a.login.clone())
        })
    }

    /// Adds an SSH key (an OpenSSH public key line) to account `login`. Administrators only.
    /// A key the account has already is accepted once; a key of another account is refused.
    pub fn add_staff_key(
        &self,
        who: &Account,
        login: &str,
        key: &str,
    ) -> Result<(Stored<StaffAccount>, SshKey), ServiceError> {
        let key = SshKey::parse(key).map_err(|p| invalid(Field::SshKey, p))?;
        let added = key.clone();
        let stored = self.change_staff(who, login, "staff_add_key", |a, _| {
            if a.key_with(&key.fingerprint).is_none() {
                if a.keys.len() >= crate::domain::staff::MAX_KEYS {
                    return Err(invalid(
                        Field::SshKey,
                        Problem::Range {
                            min: 0,
                            max: crate::domain::staff::MAX_KEYS as u32,
                        },
                    ));
                }
                a.keys.push(key.clone());
            }
            Ok(format!("{} {}", a.login, key.fingerprint))
        })?;
        Ok((stored, added))
    }

    /// Removes the key of account `login` named by `which`: its fingerprint (with or without
    /// `SHA256:`), its comment or its whole line. Administrators only. Returns the key
    /// removed.
    pub fn remove_staff_key(
        &self,
        who: &Account,
        login: &str,
        which: &str,
    ) -> Result<(Stored<StaffAccount>, SshKey), ServiceError> {
        let mut removed = None;
        let stored = self.change_staff(who, login, "staff_remove_key", |a, _| {
            let named: Vec<usize> = (0..a.keys.len())
                .filter(|&i| a.keys[i].is_named_by(which))
                .collect();
            // A comment two keys share names neither.
            let [i] = named[..] else {
                return Err(invalid(Field::SshKey, Problem::UnknownKey));
            };
            let key = a.keys.remove(i);
            let detail = format!("{} {}", a.login, key.fingerprint);
            removed = Some(key);
            Ok(detail)
        })?;
        let removed = removed.ok_or_else(|| invalid(Field::SshKey, Problem::UnknownKey))?;
        Ok((stored, removed))
    }

    /// Changes account `login` with `change` (which returns the audit detail), one account
    /// change at a time, checking its keys are free.
    fn change_staff(
        &self,
        who: &Account,
        login: &str,
        action: &str,
        change: impl FnOnce(&mut StaffAccount, &Service) -> Result<String, ServiceError>,
    ) -> Result<Stored<StaffAccount>, ServiceError> {
        self.require(who, Permission::ManageAccounts)?;
        let _one_at_a_time = self.accounts_lock();
        let current = self.staff_account(login)?.ok_or_else(|| unknown(login))?;
        let mut account = current.data.clone();
        let detail = change(&mut account, self)?;
        for k in &account.keys {
            self.key_is_free(k, Some(current.meta.id))?;
        }
        let (id, based_on) = (current.meta.id, current.meta.revision);
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let saved = tx.update(id, based_on, account.clone())?;
            self.audit(tx, who, action, Some((Kind::Staff, id)), detail.clone())?;
            Ok(saved)
        })?)
    }

    /// Refuses a change that takes away the last active administrator.
    fn keep_an_admin(&self) -> Result<(), ServiceError> {
        let admins = self
            .store
            .find::<StaffAccount>(&staff_index::ACTIVE_ROLE, Role::Admin.key())?;
        if admins.len() <= 1 {
            return Err(invalid(Field::Role, Problem::LastAdmin));
        }
        Ok(())
    }

    /// The account of the person working directly on the store's files (the local screens
    /// and commands), whose system user name is `user` (made a login name: lowercase, only
    /// letters, digits and `. _ -`):
    /// - their account when it exists and is active;
    /// - when the store has no accounts at all, a new administrator account with that name
    ///   (the person who starts a store runs it) — unless `create` is false, when they act as
    ///   administrator without an account being written (an import into a new store, which
    ///   may bring accounts of its own; see [`Service::ensure_local_account`]);
    /// - otherwise no account: an administrator adds one with `koppel user add`.
    pub fn local_account(&self, user: &str, create: bool) -> Result<LocalAccount, ServiceError> {
        let Some(login) = login_from_user_name(user) else {
            return Ok(LocalAccount::NoName {
                user: user.to_string(),
            });
        };
        let _one_at_a_time = self.accounts_lock();
        if let Some(found) = self.staff_account(&login)? {
            return Ok(if found.data.active {
                LocalAccount::Found(Service::account_of(&found.data))
            } else {
                LocalAccount::Deactivated { login }
            });
        }
        if self.store.count::<StaffAccount>() > 0 {
            return Ok(LocalAccount::Unknown { login });
        }
        let first = Account {
            name: login.clone(),
            role: Role::Admin,
        };
        if create {
            let account =
                StaffAccount::new(&login, "", Role::Admin, &[]).map_err(ServiceError::Invalid)?;
            self.insert_staff(&first, account, "staff_first_admin")?;
        }
        Ok(LocalAccount::Found(first))
    }

    /// After an import run as `who` without an account (see [`Service::local_account`]):
    /// gives them an administrator account unless the import brought one with their name.
    pub fn ensure_local_account(&self, who: &Account) -> Result<(), ServiceError> {
        self.require(who, Permission::ManageAccounts)?;
        let _one_at_a_time = self.accounts_lock();
        if self.staff_account(&who.name)?.is_some() {
            return Ok(());
        }
        let account =
            StaffAccount::new(&who.name, "", Role::Admin, &[]).map_err(ServiceError::Invalid)?;
        self.insert_staff(who, account, "staff_first_admin")?;
        Ok(())
    }

    /// Writes demo staff accounts (leaving out login names already taken) in one
    /// transaction with one audit event `demo_fill`. Administrators only.
    pub fn fill_demo_staff(
        &self,
        who: &Account,
        batch: &[StaffAccount],
    ) -> Result<usize, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        let _one_at_a_time = self.accounts_lock();
        let mut new = Vec::new();
        for a in batch {
            if !a.problems().is_empty() {
                return Err(ServiceError::Invalid(a.problems()));
            }
            if self.staff_account(&a.login)?.is_none() {
                new.push(a.clone());
            }
        }
        if new.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            for a in &new {
                tx.insert(a.clone())?;
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!("{} demo staff accounts", new.len()),
            )
        })?;
        Ok(new.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::audit::AuditEvent;
    use crate::domain::staff::SAMPLE_KEY;
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::datetime;

    const OTHER_KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0Z2a4p2dScggNcNASJM7iHvjg1mK+32+NtWEJ4h7o/ laptop";

    fn service() -> (tempfile::TempDir, Service) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-29 10:00 +1)));
        (dir, Service::new(store, clock, Config::default()))
    }

    fn as_role(name: &str, role: Role) -> Account {
        Account {
            name: name.into(),
            role,
        }
    }

    fn problem(r: Result<impl std::fmt::Debug, ServiceError>) -> Problem {
        match r {
            Err(ServiceError::Invalid(mut e)) if e.len() == 1 => e.remove(0).problem,
            other => panic!("expected one problem, got {other:?}"),
        }
    }

    fn audit_actions(service: &Service) -> Vec<String> {
        service
            .store
            .scan::<AuditEvent>()
            .map(|e| e.unwrap().data.action)
            .collect()
    }

    #[test]
    fn the_first_local_user_becomes_administrator_and_later_ones_must_be_added() {
        let (_dir, service) = service();
        let first = service.local_account("Beheer", true).unwrap();
        let admin = as_role("beheer", Role::Admin);
        assert_eq!(first, LocalAccount::Found(admin.clone()));
        assert_eq!(audit_actions(&service), ["staff_first_admin"]);
        // The same user again: the same account, nothing written.
        assert_eq!(service.local_account("beheer", true).unwrap(), first);
        assert_eq!(audit_actions(&service).len(), 1);
        // Someone else is not let in until an administrator adds them.
        assert_eq!(
            service.local_account("anna", true).unwrap(),
            LocalAccount::Unknown {
                login: "anna".into()
            }
        );
        service
            .add_staff(&admin, "anna", "Anna de Vries", Role::Coordinator, &[])
            .unwrap();
        assert_eq!(
            service.local_account("anna", true).unwrap(),
            LocalAccount::Found(as_role("anna", Role::Coordinator))
        );
        service.deactivate_staff(&admin, "anna").unwrap();
        assert_eq!(
            service.local_account("anna", true).unwrap(),
            LocalAccount::Deactivated {
                login: "anna".into()
            }
        );
        assert!(matches!(
            service.local_account("ééé", true).unwrap(),
            LocalAccount::NoName { .. }
        ));
    }

    #[test]
    fn without_create_the_first_user_acts_as_administrator_and_nothing_is_written() {
        let (_dir, service) = service();
        let found = service.local_account("beheer", false).unwrap();
        assert_eq!(found, LocalAccount::Found(as_role("beheer", Role::Admin)));
        assert!(service.staff_account("beheer").unwrap().is_none());
        service
            .ensure_local_account(&as_role("beheer", Role::Admin))
            .unwrap();
        assert_eq!(
            service.staff_account("beheer").unwrap().unwrap().data.role,
            Role::Admin
        );
    }

    #[test]
    fn only_administrators_change_accounts_and_every_change_is_audited() {
        let (_dir, service) = service();
        let admin = as_role("beheer", Role::Admin);
        for role in [Role::Intake, Role::Consultant, Role::Coordinator] {
            let who = as_role("x", role);
            assert!(matches!(
                service.add_staff(&who, "anna", "", Role::Admin, &[]),
                Err(ServiceError::Forbidden {
                    what: Permission::ManageAccounts,
                    ..
                })
            ));
            assert!(matches!(
                service.set_staff_role(&who, "beheer", Role::Intake),
                Err(ServiceError::Forbidden { .. })
            ));
            // Everyone may see who works here.
            assert!(service.staff_accounts(&who).is_ok());
        }
        service
            .add_staff(&admin, "beheer", "", Role::Admin, &[])
            .unwrap();
        let anna = service
            .add_staff(&admin, "anna", "Anna", Role::Consultant, &[SAMPLE_KEY])
            .unwrap();
        assert_eq!(anna.data.keys.len(), 1);
        service
            .set_staff_role(&admin, "anna", Role::Coordinator)
            .unwrap();
        let (_, k) = service.add_staff_key(&admin, "anna", OTHER_KEY).unwrap();
        let (after, removed) = service.remove_staff_key(&admin, "anna", "laptop").unwrap();
        assert_eq!(removed, k);
        assert_eq!(after.data.keys.len(), 1);
        service.deactivate_staff(&admin, "anna").unwrap();
        assert_eq!(
            audit_actions(&service),
            [
                "staff_add",
                "staff_add",
                "staff_set_role",
                "staff_add_key",
                "staff_remove_key",
                "staff_deactivate"
            ]
        );
    }

    #[test]
    fn names_and_keys_are_never_shared_and_the_last_administrator_stays() {
        let (_dir, service) = service();
        let admin = as_role("beheer", Role::Admin);
        service
            .add_staff(&admin, "beheer", "", Role::Admin, &[])
            .unwrap();
        service
            .add_staff(&admin, "anna", "", Role::Consultant, &[SAMPLE_KEY])
            .unwrap();
        assert_eq!(
            problem(service.add_staff(&admin, "anna", "", Role::Intake, &[])),
            Problem::LoginTaken
        );
        assert_eq!(
            problem(service.add_staff(&admin, "bert", "", Role::Intake, &[SAMPLE_KEY])),
            Problem::KeyInUse {
                login: "anna".into()
            }
        );
        assert_eq!(
            problem(service.add_staff_key(&admin, "bert", SAMPLE_KEY)),
            Problem::UnknownAccount {
                login: "bert".into()
            }
        );
        assert_eq!(
            problem(service.add_staff(&admin, "Bert Smit", "", Role::Intake, &[])),
            Problem::LoginName
        );
        assert_eq!(
            problem(service.add_staff_key(&admin, "anna", "ssh-ed25519 AAAA")),
            Problem::SshKey
        );
        assert_eq!(
            problem(service.remove_staff_key(&admin, "anna", "SHA256:nope")),
            Problem::UnknownKey
        );
        assert_eq!(
            problem(service.set_staff_role(&admin, "beheer", Role::Coordinator)),
            Problem::LastAdmin
        );
        assert_eq!(
            problem(service.deactivate_staff(&admin, "beheer")),
            Problem::LastAdmin
        );
        // With a second administrator, the first may step down.
        service.set_staff_role(&admin, "anna", Role::Admin).unwrap();
        service.deactivate_staff(&admin, "beheer").unwrap();
    }

    #[test]
    fn accounts_are_found_by_name_and_by_key_and_consultants_are_listed() {
        let (_dir, service) = service();
        let admin = as_role("beheer", Role::Admin);
        service
            .add_staff(
                &admin,
                "sander",
                "Sander Visser",
                Role::Consultant,
                &[SAMPLE_KEY],
            )
            .unwrap();
        service
            .add_staff(&admin, "marloes", "Marloes Jansen", Role::Consultant, &[])
            .unwrap();
        service
            .add_staff(&admin, "kees", "Kees", Role::Intake, &[])
            .unwrap();
        let fp = crate::domain::staff::SshKey::parse(SAMPLE_KEY)
            .unwrap()
            .fingerprint;
        assert_eq!(
            service.staff_by_key(&fp).unwrap().unwrap().data.login,
            "sander"
        );
        assert!(service.staff_by_key("SHA256:other").unwrap().is_none());
        assert_eq!(
            service
                .staff_account("marloes")
                .unwrap()
                .unwrap()
                .data
                .display_name,
            "Marloes Jansen"
        );
        assert!(service.staff_account("Marloes Jansen").unwrap().is_none());
        let names = |service: &Service| -> Vec<String> {
            service
                .active_consultants(&admin)
                .unwrap()
                .into_iter()
                .map(|s| s.data.login)
                .collect()
        };
        assert_eq!(names(&service), ["marloes", "sander"]);
        service.deactivate_staff(&admin, "sander").unwrap();
        assert_eq!(names(&service), ["marloes"]);
    }
}
