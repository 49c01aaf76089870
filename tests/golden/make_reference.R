# The reference implementation's answers on the shared list tables and on the seeded generated
# tables, written as the golden files that tests/unit/test_mse_golden.py compares thbstats with.
#
#   Rscript tests/golden/make_reference.R SHARED_DIR [OUT_DIR]
#
# SHARED_DIR: the folder holding the registered list tables (UKdat.rda, ..., Western.rda);
# OUT_DIR: where the golden files go (default tests/golden). The generated tables are read from
# OUT_DIR/mse_generated_tables.csv (written by `python tests/mse_generated.py`). Needs the R
# packages MultipleSystemsEstimation (1.2.0) and SparseMSE (2.0.1), installed from source with
# `R CMD INSTALL` (README, "Golden files from the reference implementation"); their library folder
# may be given in R_LIBS.
#
# Writes mse_reference.csv (one row per table, method and options: model and estimate) and
# mse_reference_checks.csv (the existence/identifiability verdict of every pairwise model on
# the generated tables that have a list nobody is on).

args <- commandArgs(trailingOnly = TRUE)
shared <- args[1]
out <- if (length(args) >= 2) args[2] else "tests/golden"
suppressMessages({
  library(MultipleSystemsEstimation)
  library(SparseMSE)
})
versions <- list(
  r = paste(R.version$major, R.version$minor, sep = "."),
  mse = as.character(packageVersion("MultipleSystemsEstimation")),
  sparse = as.character(packageVersion("SparseMSE"))
)

shared_tables <- c("UKdat", "UKdat_5", "Ned", "Ned_5", "Kosovo", "Korea", "NewOrl",
                   "NewOrl_5", "Western")
tables <- list()
for (name in shared_tables) {
  env <- new.env()
  load(file.path(shared, paste0(name, ".rda")), envir = env)
  tables[[name]] <- as.data.frame(get(name, envir = env))
}
gen <- read.csv(file.path(out, "mse_generated_tables.csv"), colClasses = c(history = "character"))
for (name in unique(gen$table)) {
  g <- gen[gen$table == name, ]
  t <- g$lists[1]
  m <- t(sapply(g$history, function(h) as.integer(strsplit(h, "")[[1]])))
  d <- as.data.frame(m)
  names(d) <- LETTERS[seq_len(t)]
  rownames(d) <- NULL
  d$count <- g$count
  tables[[name]] <- d
}

rows <- list()
add <- function(table, method, options, package, model, estimate, note = "") {
  rows[[length(rows) + 1]] <<- data.frame(
    table = table, method = method, options = options, package = package,
    package_version = if (package == "SparseMSE") versions$sparse else versions$mse,
    r_version = versions$r, model = model, estimate = estimate, note = note
  )
}
attempt <- function(table, method, options, package, expr) {
  res <- tryCatch(expr, error = function(e) list(model = "", estimate = NA, note = conditionMessage(e)))
  add(table, method, options, package, res$model, res$estimate, if (is.null(res$note)) "" else res$note)
}

for (name in names(tables)) {
  z <- tables[[name]]
  t <- ncol(z) - 1
  main <- paste0("[", paste(seq_len(t), collapse = ","), "]")
  main_check <- tryCatch(check_extended_MLE(z, main), error = function(e) NA)
  note <- paste0("main effects check ", main_check)
  message(name, " (", t, " lists)")
  for (p in c(0.02, 0.05)) {
    attempt(name, "stepwise", paste0("pthresh=", p), "MultipleSystemsEstimation", {
      s <- estimate_population_stepwise(z, pthresh = p)
      list(model = s$MSEfit$hiermod, estimate = s$popest, note = note)
    })
  }
  attempt(name, "stepwise", "pthresh=0.02", "SparseMSE", {
    s <- estimatepopulation.0(z, method = "stepwise", pthresh = 0.02)
    list(model = "", estimate = unname(s$estimate["point est."]), note = note)
  })
  for (mo in unique(c(t - 1, 2))) {
    attempt(name, "downhill", paste0("maxorder=", mo, ";niter=20"), "MultipleSystemsEstimation", {
      d <- MultipleSystemsEstimation:::downhill_fit(z[, t + 1], as.matrix(z[, 1:t]),
                                                    maxorder = mo, niter = 20, verbose = TRUE)
      list(model = d$optimum_hierarchy, estimate = unname(d$minimum_value["abundance"]), note = note)
    })
  }
  if (t <= 5 || name %in% shared_tables) {
    attempt(name, "exhaustive", "maxorder=default", "MultipleSystemsEstimation", {
      b <- suppressWarnings(estimate_population_bic(z))
      list(model = b$model, estimate = b$popest, note = note)
    })
  }
  attempt(name, "auto", "", "MultipleSystemsEstimation", {
    a <- suppressMessages(estimate_population(z))
    model <- if (attr(a, "method") == "bic") a$model else a$MSEfit$hiermod
    list(model = model, estimate = a$popest, note = paste0(note, "; auto is ", attr(a, "method")))
  })
}
reference <- do.call(rbind, rows)
write.csv(reference, file.path(out, "mse_reference.csv"), row.names = FALSE)

checks <- list()
for (name in unique(gen$table)) {
  z <- tables[[name]]
  t <- ncol(z) - 1
  if (all(colSums(z[, 1:t] * z$count) > 0) || t > 5) next
  for (model in get_hierarchical_models(t, maxorder = 2)) {
    checks[[length(checks) + 1]] <- data.frame(
      table = name, model = model, verdict = check_extended_MLE(z, model),
      package_version = versions$mse, r_version = versions$r
    )
  }
}
write.csv(do.call(rbind, checks), file.path(out, "mse_reference_checks.csv"), row.names = FALSE)
