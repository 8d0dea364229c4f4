// One palette for the app and the HTML report lives in the chart kit.
export { SERIES_COLORS, seriesColor } from '../../../charts/theme';
