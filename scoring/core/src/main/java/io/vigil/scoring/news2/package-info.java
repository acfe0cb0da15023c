/**
 * NEWS2 (Royal College of Physicians, 2017, chart 1): the sub-score bands of each physiological
 * parameter, the chart's rounding of non-integer measurements, and the aggregate score with the
 * single-parameter-3 flag and the list of missing parameters.
 */
package io.vigil.scoring.news2;
