//! The start-up check: each text the code uses exists, fills in without errors, and asks only for
//! the placeholders the code passes.

use super::{Arg, Texts, TextsError, args::fluent_args};
use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement};
use std::collections::BTreeSet;

/// How deep `{ other-message }` references are followed; guards against a reference cycle.
const MAX_DEPTH: usize = 8;

impl Texts {
    /// Verifies each `(key, placeholders)` pair the code relies on. Run it at start, after
    /// `load`, with the keys and argument names every dialog uses.
    pub fn check(&self, required: &[(&str, &[&str])]) -> Result<(), TextsError> {
        for (key, allowed) in required {
            self.check_one(key, allowed)?;
        }
        Ok(())
    }

    fn check_one(&self, key: &str, allowed: &[&str]) -> Result<(), TextsError> {
        let missing = || TextsError::Missing { key: key.to_string() };
        let pattern = self.bundle.get_message(key).and_then(|m| m.value()).ok_or_else(missing)?;
        let file = self.origin.get(key).cloned().unwrap_or_default();

        let mut used = BTreeSet::new();
        self.collect_variables(pattern, 0, &mut used);
        if let Some(variable) = used.into_iter().find(|v| !allowed.contains(v)) {
            let allowed = describe(allowed);
            let (key, variable) = (key.to_string(), variable.to_string());
            return Err(TextsError::UnknownVariable { file, key, variable, allowed });
        }

        let dummies: Vec<(&str, Arg)> = allowed.iter().map(|name| (*name, Arg::Int(1))).collect();
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, Some(&fluent_args(&dummies)), &mut errors);
        match errors.first() {
            None => Ok(()),
            Some(e) => Err(TextsError::Broken { file, key: key.into(), problem: e.to_string() }),
        }
    }

    fn collect_variables<'a>(
        &'a self,
        pattern: &'a Pattern<&'a str>,
        depth: usize,
        out: &mut BTreeSet<&'a str>,
    ) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.walk_expression(expression, depth, out);
            }
        }
    }

    fn walk_expression<'a>(
        &'a self,
        expression: &'a Expression<&'a str>,
        depth: usize,
        out: &mut BTreeSet<&'a str>,
    ) {
        match expression {
            Expression::Inline(inline) => self.walk_inline(inline, depth, out),
            Expression::Select { selector, variants } => {
                self.walk_inline(selector, depth, out);
                for variant in variants {
                    self.collect_variables(&variant.value, depth, out);
                }
            }
        }
    }

    /// Variables inside function calls count too; a referenced message sees the same arguments,
    /// so its variables count as well. A term gets only the arguments written in the call.
    fn walk_inline<'a>(
        &'a self,
        inline: &'a InlineExpression<&'a str>,
        depth: usize,
        out: &mut BTreeSet<&'a str>,
    ) {
        match inline {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name);
            }
            InlineExpression::Placeable { expression } => {
                self.walk_expression(expression, depth, out)
            }
            InlineExpression::FunctionReference { arguments, .. } => {
                let named = arguments.named.iter().map(|a| &a.value);
                for argument in arguments.positional.iter().chain(named) {
                    self.walk_inline(argument, depth, out);
                }
            }
            InlineExpression::TermReference { arguments: Some(arguments), .. } => {
                for argument in arguments.named.iter().map(|a| &a.value) {
                    self.walk_inline(argument, depth, out);
                }
            }
            InlineExpression::MessageReference { id, attribute: None } if depth < MAX_DEPTH => {
                let referenced = self.bundle.get_message(id.name).and_then(|m| m.value());
                if let Some(pattern) = referenced {
                    self.collect_variables(pattern, depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

/// `["name", "count"]` → "{ $name }, { $count }", or "no placeholders".
fn describe(allowed: &[&str]) -> String {
    if allowed.is_empty() {
        return "no placeholders".to_string();
    }
    allowed.iter().map(|name| format!("{{ ${name} }}")).collect::<Vec<_>>().join(", ")
}
