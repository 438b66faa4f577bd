# Reference values from R's metafor for the tests of acuevidence.evidence.meta/effects.
#
# Run from the repository root:   Rscript scripts/metafor_reference.R
# Writes tests/evidence/reference/metafor_reference.json (inputs, outputs, R and metafor
# versions). The Python test suite compares against that file and never needs R.
#
# Datasets: metafor's dat.bcg (RR, OR, RD), metadat's dat.lee2004 (RR, OR, RD),
# dat.normand1999 (MD, SMD), the two-trial AHRQ RMDQ analysis (MD, SMD), and randomly
# generated binary and continuous datasets (fixed seed). Every dataset is fitted with
# every estimator (FE, DL, REML, PM) and test (z = Wald, knha = HKSJ); binary ones also
# with rma.mh (MH) and RevMan's DL-MH (DL tau^2 from Q around the MH estimate).
# Convergence is tightened (REML threshold, PM root tolerance) so that the stored values
# are the exact estimates, not metafor's default 1e-5 stopping point.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

set.seed(20240611)
ctrl <- list(threshold = 1e-12, tol = 1e-14, maxiter = 1000)
methods <- c("FE", "DL", "REML", "PM")
tests <- c("z", "knha")

fit_summary <- function(res, method, test) {
  pred <- predict(res)
  list(
    method = method, test = test,
    estimate = as.numeric(res$beta), se = res$se,
    ci = c(res$ci.lb, res$ci.ub), zval = res$zval, pval = res$pval,
    tau2 = res$tau2, i2 = res$I2, h2 = res$H2,
    q = res$QE, q_df = res$k - 1, q_p = res$QEp,
    pi = c(if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb,
           if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub),
    weights = as.numeric(weights(res))
  )
}

fit_all <- function(yi, vi) {
  fits <- list()
  for (m in methods) for (t in tests) {
    res <- suppressWarnings(rma(yi, vi, method = m, test = t, control = ctrl))
    fits[[length(fits) + 1]] <- fit_summary(res, m, t)
  }
  fits
}

egger <- function(yi, vi) {
  if (length(yi) < 10) return(NULL)
  eg <- regtest(rma(yi, vi, method = "FE"), model = "lm")
  list(statistic = eg$zval, df = eg$dfs, p = eg$pval)
}

binary_measure <- function(d, measure) {
  es <- escalc(measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
  mh <- suppressWarnings(rma.mh(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i,
                                measure = measure))
  # RevMan 5 DL-MH: DL tau^2 from the MH-centred Q, then IV pooling with 1/(vi + tau^2)
  w <- 1 / mh$vi
  tau2 <- max(0, (mh$QE - (mh$k.yi - 1)) / (sum(w) - sum(w^2) / sum(w)))
  dlmh <- rma(mh$yi, mh$vi, tau2 = tau2, method = "DL")
  list(
    yi = as.numeric(es$yi), vi = as.numeric(es$vi),
    fits = fit_all(es$yi, es$vi),
    mh = list(estimate = as.numeric(mh$beta), se = mh$se, ci = c(mh$ci.lb, mh$ci.ub),
              pval = mh$pval, q = mh$QE, q_df = mh$k.yi - 1, q_p = mh$QEp,
              i2 = mh$I2, h2 = mh$H2, weights = as.numeric(weights(mh))),
    dlmh = list(estimate = as.numeric(dlmh$beta), se = dlmh$se,
                ci = c(dlmh$ci.lb, dlmh$ci.ub), tau2 = tau2, q = mh$QE,
                weights = as.numeric(weights(dlmh))),
    egger = egger(es$yi, es$vi)
  )
}

continuous_measure <- function(d, measure) {
  es <- escalc(measure, m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i,
               m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i)
  list(yi = as.numeric(es$yi), vi = as.numeric(es$vi),
       fits = fit_all(es$yi, es$vi), egger = egger(es$yi, es$vi))
}

binary_dataset <- function(name, d) {
  list(name = name, kind = "binary", data = d,
       measures = list(RR = binary_measure(d, "RR"), OR = binary_measure(d, "OR"),
                       RD = binary_measure(d, "RD")))
}

continuous_dataset <- function(name, d) {
  list(name = name, kind = "continuous", data = d,
       measures = list(MD = continuous_measure(d, "MD"), SMD = continuous_measure(d, "SMD")))
}

bcg <- with(dat.bcg, list(study = paste(author, year), ai = tpos, n1i = tpos + tneg,
                          ci = cpos, n2i = cpos + cneg))
lee <- with(dat.lee2004, list(study = study, ai = ai, n1i = n1i, ci = ci, n2i = n2i))
normand <- with(dat.normand1999, list(study = source, m1i = m1i, sd1i = sd1i, n1i = n1i,
                                      m2i = m2i, sd2i = sd2i, n2i = n2i))
rmdq <- list(study = c("Kwon 2007", "Cherkin 2009"), m1i = c(5.16, 6.3), sd1i = c(4.9, 5.7),
             n1i = c(24, 158), m2i = c(4.92, 5.4), sd2i = c(4.8, 4.9), n2i = c(23, 162))

random_binary <- function(i) {
  k <- sample(2:25, 1)
  n1 <- sample(10:300, k, replace = TRUE)
  n2 <- sample(10:300, k, replace = TRUE)
  base <- runif(1, 0.02, 0.5)
  lor <- rnorm(k, rnorm(1, -0.3, 0.3), sqrt(runif(1, 0, 0.4)))
  p2 <- pmin(pmax(rbeta(k, 20 * base, 20 * (1 - base)), 0.005), 0.95)
  p1 <- plogis(qlogis(p2) + lor)
  d <- list(study = paste("R", i, "-", seq_len(k)), ai = rbinom(k, n1, p1), n1i = n1,
            ci = rbinom(k, n2, p2), n2i = n2)
  if (i == 1) {  # one table with a zero cell and one with no events at all
    d$ai[1] <- 0
    if (k > 2) { d$ai[2] <- 0; d$ci[2] <- 0 }
  }
  d
}

random_continuous <- function(i) {
  k <- sample(2:30, 1)
  n1 <- sample(5:200, k, replace = TRUE)
  n2 <- sample(5:200, k, replace = TRUE)
  sd <- runif(1, 0.5, 20)
  delta <- rnorm(k, rnorm(1, 0, sd / 2), runif(1, 0, sd / 2))
  list(study = paste("C", i, "-", seq_len(k)),
       m1i = round(rnorm(k, 50 + delta, sd / sqrt(n1)), 2), sd1i = round(sd * runif(k, 0.7, 1.3), 2),
       n1i = n1,
       m2i = round(rnorm(k, 50, sd / sqrt(n2)), 2), sd2i = round(sd * runif(k, 0.7, 1.3), 2),
       n2i = n2)
}

datasets <- list(binary_dataset("dat.bcg", bcg), binary_dataset("dat.lee2004", lee),
                 continuous_dataset("dat.normand1999", normand),
                 continuous_dataset("ahrq_rmdq", rmdq))
for (i in 1:8) datasets[[length(datasets) + 1]] <- binary_dataset(paste0("random_binary_", i),
                                                                   random_binary(i))
for (i in 1:8) datasets[[length(datasets) + 1]] <- continuous_dataset(
  paste0("random_continuous_", i), random_continuous(i))

# Leave-one-out and subgroups (allocation) for dat.bcg, log RR, REML
es <- escalc("RR", ai = bcg$ai, n1i = bcg$n1i, ci = bcg$ci, n2i = bcg$n2i)
reml <- rma(es$yi, es$vi, method = "REML", control = ctrl)
l1o <- leave1out(reml)
groups <- as.character(dat.bcg$alloc)
sub <- lapply(unique(groups), function(g) {
  r <- rma(es$yi[groups == g], es$vi[groups == g], method = "REML", control = ctrl)
  list(group = g, estimate = as.numeric(r$beta), se = r$se, tau2 = r$tau2)
})
between <- rma(sapply(sub, `[[`, "estimate"), sapply(sub, `[[`, "se")^2, method = "FE")

out <- list(
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  control = ctrl,
  generated_by = "Rscript scripts/metafor_reference.R",
  datasets = datasets,
  leave1out = list(dataset = "dat.bcg", measure = "RR", method = "REML",
                   estimate = as.numeric(l1o$estimate), se = as.numeric(l1o$se),
                   tau2 = as.numeric(l1o$tau2), i2 = as.numeric(l1o$I2)),
  subgroups = list(dataset = "dat.bcg", measure = "RR", method = "REML", groups = groups,
                   subgroups = sub, q_between = between$QE, df = between$k - 1,
                   p = between$QEp)
)

dir.create("tests/evidence/reference", recursive = TRUE, showWarnings = FALSE)
write_json(out, "tests/evidence/reference/metafor_reference.json", digits = NA,
           auto_unbox = TRUE, pretty = FALSE)
cat("wrote tests/evidence/reference/metafor_reference.json with", length(datasets), "datasets\n")
