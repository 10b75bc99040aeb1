/**
 * ECharts with only the pieces the dashboard draws, in a chunk of its own that
 * loads when a chart is first shown (never part of the first screen). Drawn as
 * SVG: a few dozen bars, crisp at any zoom, and its text is text.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init as initChart, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** A chart drawn in `element`, as SVG (the one renderer this chunk carries). */
export const init = (element: HTMLElement) => initChart(element, undefined, { renderer: 'svg' });
