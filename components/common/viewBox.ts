// The height a view may fill, when its container fixes one (the widget's `height`): the heatmaps
// then size their cells to the height as well as the width. Null: the page scrolls, width only.
import { createContext } from 'react';

export const ViewHeightContext = createContext<number | null>(null);
